import assert from 'node:assert/strict';
import { CookieJar } from './cookie-jar.js';
import { decodeEntities, findForm, isAutoSubmitting } from './html-form.js';

describe('simulated browser: forms and cookies', () => {
  it('reads an auto-submitting form whatever the attribute order, quoting and entity encoding', () => {
    const html = `<body onload="document.forms[0].submit()"><form method='POST' action="/lti/launch?x=1&amp;y=2">
      <input type="hidden" value="a&#34;b&#x27;c" name="id_token"><input name=state value=s1 type=hidden>
      <input type="submit"></form>`;
    assert.ok(isAutoSubmitting(html));
    assert.deepEqual(findForm(html, 'http://tool.test/login'), {
      action: 'http://tool.test/lti/launch?x=1&y=2',
      method: 'POST',
      fields: { id_token: `a"b'c`, state: 's1' },
    });
    assert.equal(decodeEntities('&lt;&amp;&gt;&#128512;&unknown;'), '<&>😀&unknown;');
    assert.equal(isAutoSubmitting('<form action="/x"></form>'), false);
    assert.equal(findForm('<p>no form</p>', 'http://tool.test/'), undefined);
  });

  it('keeps cookies per host (not per port), honours Path, and deletes on Max-Age=0 or a past Expires', () => {
    let now = 1_000_000;
    const jar = new CookieJar(() => now);
    jar.store(new URL('http://127.0.0.1:3000/login'), ['state1=abc; Path=/; HttpOnly', 'scoped=1; Path=/app', 'short=x; Max-Age=10']);
    assert.equal(jar.header(new URL('http://127.0.0.1:4000/')), 'state1=abc; short=x');
    assert.equal(jar.header(new URL('http://127.0.0.1:3000/app/page')), 'state1=abc; scoped=1; short=x');
    assert.equal(jar.header(new URL('http://localhost:3000/')), undefined);
    now += 11_000;
    assert.equal(jar.header(new URL('http://127.0.0.1:3000/')), 'state1=abc');
    jar.store(new URL('http://127.0.0.1:3000/'), ['state1=; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    assert.deepEqual(jar.names('127.0.0.1'), ['scoped']);
  });
});
