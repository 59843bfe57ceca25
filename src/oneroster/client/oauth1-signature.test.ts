import assert from 'node:assert/strict';
import { baseStringUri, hmacSha1Signature, normalizeParameters, oauth1AuthorizationHeader, signatureBaseString } from './oauth1-signature.js';
import { percentEncode } from './percent-encode.js';

describe('OneRoster client: OAuth 1.0a signing (RFC 5849)', () => {
  // The request of RFC 5849 §3.4.1.1: query b5, a3, c@, a2; form body c2 and a3=2+q; oauth_* from the header.
  const rfcUrl = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
  const rfcExtra: Array<[string, string]> = [
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
    ['c2', ''],
    ['a3', '2 q'],
  ];

  it('§3.4.1.1: builds the signature base string of the worked example exactly', () => {
    assert.equal(
      signatureBaseString('post', rfcUrl, rfcExtra),
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('§3.4.1.3.2: normalises the example parameters (sorted by name, then value)', () => {
    const query: Array<[string, string]> = [
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
    ];
    assert.equal(
      normalizeParameters([...query, ...rfcExtra]),
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('§3.4.1.2: lower-cases scheme and host, drops the default port and the query, keeps other ports', () => {
    assert.equal(baseStringUri(new URL('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')), 'http://example.com/r%20v/X');
    assert.equal(baseStringUri(new URL('https://www.example.net:8080/?q=1')), 'https://www.example.net:8080/');
    assert.equal(baseStringUri(new URL('https://sis.example:443/ims/oneroster/v1p1/users')), 'https://sis.example/ims/oneroster/v1p1/users');
  });

  it('§3.4.2: HMAC-SHA1 over the §1.2 example request gives its published signature', () => {
    // §1.2: GET http://photos.example.net/photos?file=vacation.jpg&size=original, client secret
    // kd94hf93k423kf44, token secret pfkkdhi9sl3r4s00 → oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D".
    const base = signatureBaseString('GET', new URL('http://photos.example.net/photos?file=vacation.jpg&size=original'), [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'nnch734d00sl2jdk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131202'],
      ['oauth_nonce', 'chapoH'],
    ]);
    assert.equal(hmacSha1Signature(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00'), 'MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it("§3.6: percent-encodes everything but unreserved characters, including !*'() and space as %20", () => {
    assert.equal(percentEncode("a b!*'()~-._+/=&é"), 'a%20b%21%2A%27%28%29~-._%2B%2F%3D%26%C3%A9');
  });

  it('signs a OneRoster filter holding spaces, single and double quotes as its decoded value, whichever way the query encodes it', () => {
    const filter = `title='Algebra "Honors" 1' AND status='active'`;
    const expectedParams =
      'filter%3Dtitle%253D%2527Algebra%2520%2522Honors%2522%25201%2527%2520AND%2520status%253D%2527active%2527%26limit%3D100%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1767607200%26oauth_version%3D1.0%26offset%3D0';
    const protocol: Array<[string, string]> = [
      ['oauth_consumer_key', 'ck'],
      ['oauth_nonce', 'n1'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1767607200'],
      ['oauth_version', '1.0'],
    ];
    const strict = new URL(`https://sis.example/ims/oneroster/v1p1/classes?limit=100&offset=0&filter=${percentEncode(filter)}`);
    const form = new URL('https://sis.example/ims/oneroster/v1p1/classes');
    form.search = new URLSearchParams({ limit: '100', offset: '0', filter }).toString(); // spaces as '+'
    for (const url of [strict, form]) {
      assert.equal(signatureBaseString('GET', url, protocol), `GET&https%3A%2F%2Fsis.example%2Fims%2Foneroster%2Fv1p1%2Fclasses&${expectedParams}`);
    }
  });

  it('§3.5.1: the Authorization header carries the five protocol parameters and the signature, encoded and sorted, with a fresh nonce each time', () => {
    const url = new URL('https://sis.example/ims/oneroster/v1p1/users?limit=1');
    const at = new Date('2026-01-05T10:00:00Z');
    const header = oauth1AuthorizationHeader('GET', url, { consumerKey: 'key one', consumerSecret: 'secret' }, at, 'abc');
    const base = signatureBaseString('GET', url, [
      ['oauth_consumer_key', 'key one'],
      ['oauth_nonce', 'abc'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1767607200'],
      ['oauth_version', '1.0'],
    ]);
    const signature = percentEncode(hmacSha1Signature(base, 'secret'));
    assert.equal(
      header,
      `OAuth oauth_consumer_key="key%20one", oauth_nonce="abc", oauth_signature="${signature}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1767607200", oauth_version="1.0"`,
    );
    const nonces = new Set(
      Array.from({ length: 50 }, () => /oauth_nonce="([^"]+)"/.exec(oauth1AuthorizationHeader('GET', url, { consumerKey: 'k', consumerSecret: 's' }, at))?.[1]),
    );
    assert.equal(nonces.size, 50);
    assert.ok([...nonces].every((n) => /^[0-9a-f]{32}$/.test(String(n))));
  });
});
