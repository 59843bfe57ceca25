import assert from 'node:assert/strict';
import type { TenantId } from '../../tenancy/ids.js';
import { ltiLaunch, ltiLogin, startTestPlatform, type TestPlatform } from '../../testing/lti-test-platform.js';
import { type TestApp, testApp } from '../../testing/test-app.js';
import { CLAIM } from '../claims.js';

function failureCode(text: string): string | undefined {
  return /id="lti-error-code">([a-z-]+)</.exec(text)?.[1];
}

describe('LTI launch: the platform key set cache (SEC "Key Set URL"; fact sheet §3 check 6, §14.3)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let platform: TestPlatform;

  before(async () => {
    t = await testApp({ outboundAllow: ['127.0.0.0/8'] });
    const { tenantId } = await t.tenantWithAdmin('Key Set District');
    platform = await startTestPlatform({ now: () => t.clock.now, toolBaseUrl: t.config.baseUrl as string });
    await platform.register(t, tenantId);
  });
  after(async () => {
    await platform.close();
    await t.close();
  });

  const advance = (seconds: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000);
  };
  async function launch(kid?: string) {
    const login = await ltiLogin(t.http, platform);
    const token = await platform.idToken({ nonce: login.nonce, ...(kid ? { header: { kid } } : {}) });
    return ltiLaunch(t.http, { id_token: token, state: login.state }, login.cookie);
  }

  it('fetches the key set once and reuses it for its max-age', async () => {
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, 1);
    advance(120);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, 1, 'still cached at 120 s of max-age=300');
    advance(181);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, 2, 'refetched once max-age=300 ran out');
  });

  it('refetches exactly once when the platform rotates to a kid it has not seen, and then accepts it', async () => {
    advance(31);
    const hits = platform.jwksHits;
    await platform.rotate(true);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, hits + 1);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, hits + 1, 'the new key is cached now');
  });

  it('an unknown kid refetches at most once per cooldown, then fails with kid-unknown', async () => {
    advance(31);
    const hits = platform.jwksHits;
    const first = await launch('ghost-kid-1');
    assert.equal(failureCode(first.text), 'kid-unknown');
    assert.equal(platform.jwksHits, hits + 1, 'one refetch');
    const second = await launch('ghost-kid-2');
    assert.equal(failureCode(second.text), 'kid-unknown');
    assert.equal(platform.jwksHits, hits + 1, 'no second refetch inside the 30 s cooldown');
    advance(31);
    assert.equal(failureCode((await launch('ghost-kid-3')).text), 'kid-unknown');
    assert.equal(platform.jwksHits, hits + 2, 'one more after the cooldown');
  });

  it('honours Cache-Control: no-store (fetched for every launch) and a short max-age', async () => {
    platform.jwksCacheControl = 'no-store';
    advance(400);
    const hits = platform.jwksHits;
    assert.equal((await launch()).status, 200);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, hits + 2);
    platform.jwksCacheControl = 'public, max-age=100';
    assert.equal((await launch()).status, 200);
    advance(50);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, hits + 3);
    advance(51);
    assert.equal((await launch()).status, 200);
    assert.equal(platform.jwksHits, hits + 4);
  });

  it('keeps launching on a stale key set while the platform’s key set is down, and fails with jwks-unavailable without one', async () => {
    platform.jwksStatus = 503;
    try {
      advance(200);
      assert.equal((await launch()).status, 200, 'stale-if-error');
      const res = await launch('never-seen-kid');
      assert.equal(res.status, 502);
      assert.equal(failureCode(res.text), 'jwks-unavailable');
    } finally {
      platform.jwksStatus = 200;
    }
  });
});

describe('LTI launch without third-party cookies: postMessage platform storage (CS-OIDC, PM-S; fact sheet §2.3)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let platform: TestPlatform;
  const pageData = (html: string) => JSON.parse(/<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');

  before(async () => {
    t = await testApp({ outboundAllow: ['127.0.0.0/8'] });
    const { tenantId } = await t.tenantWithAdmin('Cookieless District');
    platform = await startTestPlatform({ now: () => t.clock.now, toolBaseUrl: t.config.baseUrl as string });
    await platform.register(t, tenantId);
  });
  after(async () => {
    await platform.close();
    await t.close();
  });

  async function cookielessLogin() {
    const res = await t.http
      .get('/lti/login')
      .query({
        iss: platform.issuer,
        login_hint: 'u',
        target_link_uri: `${t.config.baseUrl}/lti/launch`,
        client_id: platform.clientId,
        lti_storage_target: '_parent',
      })
      .expect(200);
    const data = pageData(res.text);
    return { res, data, state: new URL(data.next).searchParams.get('state') as string, nonce: new URL(data.next).searchParams.get('nonce') as string };
  }

  it('login: stores the state in the platform frame (lti.put_data to the auth origin), sets the cookie as well, then goes to the auth endpoint', async () => {
    const { res, data, state } = await cookielessLogin();
    assert.equal(data.target, '_parent');
    assert.equal(data.origin, platform.origin);
    assert.equal(data.key, `edhub.lti.state.${state}`);
    assert.equal(data.value, state);
    assert.match(data.next, new RegExp(`^${platform.authUrl}\\?scope=openid&`));
    assert.match(res.text, /send\('lti\.put_data'/);
    const csp = res.headers['content-security-policy'] as string;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && res.text.includes(`<script nonce="${nonce}">`), 'the inline script runs by CSP nonce');
    assert.match((res.headers['set-cookie'] as unknown as string[])[0] as string, /SameSite=None/);
  });

  it('launch without the cookie: a page reads the state back (lti.get_data) and re-posts; the re-post from EdHub’s own origin lands', async () => {
    const { state, nonce } = await cookielessLogin();
    const idToken = await platform.idToken({ nonce });
    const check = await ltiLaunch(t.http, { id_token: idToken, state, lti_storage_target: '_parent' }).expect(200);
    const data = pageData(check.text);
    assert.deepEqual([data.target, data.origin, data.key], ['_parent', platform.origin, `edhub.lti.state.${state}`]);
    assert.match(check.text, /<form id="relaunch" method="post" action="http:\/\/localhost:8080\/lti\/launch">/);
    assert.match(check.text, /send\('lti\.get_data'/);

    const foreign = await t.http
      .post('/lti/launch')
      .type('form')
      .set('Origin', 'https://attacker.example')
      .send({ id_token: idToken, state, lti_storage_target: '_parent', lti_storage_state: state });
    assert.equal(foreign.status, 401);
    assert.equal(failureCode(foreign.text), 'state-mismatch');
    const wrongValue = await t.http
      .post('/lti/launch')
      .type('form')
      .set('Origin', 'http://localhost:8080')
      .send({ id_token: idToken, state, lti_storage_target: '_parent', lti_storage_state: 'another-state' });
    assert.equal(failureCode(wrongValue.text), 'state-mismatch');

    const landed = await t.http
      .post('/lti/launch')
      .type('form')
      .set('Origin', 'http://localhost:8080')
      .send({ id_token: idToken, state, lti_storage_target: '_parent', lti_storage_state: state });
    assert.equal(landed.status, 200, landed.text.slice(0, 300));
    assert.match(landed.text, /Welcome, Ada Lovelace/);
  });

  it('without cookie and without platform storage the launch is refused as state-mismatch', async () => {
    const { state, nonce } = await cookielessLogin();
    const res = await ltiLaunch(t.http, { id_token: await platform.idToken({ nonce }), state });
    assert.equal(failureCode(res.text), 'state-mismatch');
  });
});

describe('LTI anonymous launches (CORE §5.3.6; fact sheet §3 check 15)', function () {
  this.timeout(60_000);
  it('are accepted without sub only when ltiAllowAnonymousLaunches is set, and create no user', async () => {
    const t = await testApp({ outboundAllow: ['127.0.0.0/8'], ltiAllowAnonymousLaunches: true });
    const platform = await startTestPlatform({ now: () => t.clock.now, toolBaseUrl: t.config.baseUrl as string });
    try {
      const { tenantId } = await t.tenantWithAdmin('Anonymous District');
      await platform.register(t, tenantId as TenantId);
      const login = await ltiLogin(t.http, platform);
      const token = await platform.idToken({ nonce: login.nonce, claims: { sub: undefined, name: undefined, email: undefined, [CLAIM.roles]: [] } });
      const res = await ltiLaunch(t.http, { id_token: token, state: login.state }, login.cookie);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(res.text, /Welcome, an anonymous user/);
      assert.equal((await t.database.db.selectFrom('lti_users').select('id').execute()).length, 0);
      const session = await t.database.db.selectFrom('lti_launches').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([session.user_id, session.sub], [null, null]);
      // an empty sub stays invalid even so
      const again = await ltiLogin(t.http, platform);
      const empty = await ltiLaunch(
        t.http,
        { id_token: await platform.idToken({ nonce: again.nonce, claims: { sub: '' } }), state: again.state },
        again.cookie,
      );
      assert.equal(failureCode(empty.text), 'sub-empty');
    } finally {
      await platform.close();
      await t.close();
    }
  });
});
