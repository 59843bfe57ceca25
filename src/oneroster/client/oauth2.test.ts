import assert from 'node:assert/strict';
import { sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { all, FAKE_CLIENT_ID, type FakeAndClient, fakeAndClient } from '../../testing/fakes/oneroster-client-for-fake.js';
import { OneRosterClientError } from './errors.js';
import { basicCredentials } from './oauth2-token-source.js';

const statuses = (env: FakeAndClient) => env.fake.requests.map((r) => `${r.path === '/oauth/token' ? 'token' : 'data'} ${r.status}`);

describe('OneRoster client: OAuth 2 client credentials', () => {
  let env: FakeAndClient | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  it('RFC 6749 §2.3.1: form-encodes client_id and client_secret before HTTP Basic', () => {
    const header = basicCredentials('id:1', "a b+c&'d'");
    assert.equal(header, `Basic ${Buffer.from('id%3A1:a+b%2Bc%26%27d%27').toString('base64')}`);
  });

  it('shares one token request among 20 concurrent calls (single flight) and reuses the token', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(20) } });
    const client = env.client;
    const users = await Promise.all(sampleUsers(20).map((u) => client.get('rostering', `/users/${String(u.sourcedId)}`)));
    assert.deepEqual(
      users.map((u) => u.sourcedId),
      sampleUsers(20).map((u) => u.sourcedId),
    );
    assert.equal(env.fake.tokenRequests, 1);
    await client.get('rostering', '/users/u0001');
    assert.equal(env.fake.tokenRequests, 1);
    assert.equal(env.fake.requests.length, 22);
  });

  it('keeps the token until 30 s before expires_in runs out, then asks for a new one', async () => {
    const clock = { now: new Date('2026-01-05T10:00:00Z') };
    const now = () => clock.now;
    const advance = (s: number) => {
      clock.now = new Date(clock.now.getTime() + s * 1000);
    };
    env = await fakeAndClient({ data: { users: sampleUsers(1) }, tokenTtlSeconds: 300, now }, { now });
    await env.client.get('rostering', '/users/u0001');
    advance(269);
    await env.client.get('rostering', '/users/u0001');
    assert.equal(env.fake.tokenRequests, 1);
    advance(2); // 271 s: inside the 30 s margin, still valid at the fake
    await env.client.get('rostering', '/users/u0001');
    assert.equal(env.fake.tokenRequests, 2);
    assert.deepEqual(statuses(env), ['token 200', 'data 200', 'data 200', 'token 200', 'data 200']);
  });

  it('after a 401 from a revoked token, fetches one new token and retries the request once', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) }, quirks: { revokeTokenAfterRequests: 2 } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.equal(rows.length, 250);
    assert.equal(env.fake.tokenRequests, 2);
    assert.deepEqual(statuses(env), ['token 200', 'data 200', 'data 200', 'data 401', 'token 200', 'data 200']);
    assert.deepEqual(env.sleeps, []);
  });

  it('does not loop on 401: a second 401 after re-authenticating is thrown with its envelope', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(1) }, quirks: { revokeTokenAfterRequests: 0 } });
    await assert.rejects(env.client.get('rostering', '/users/u0001'), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.code, 'http_error');
      assert.equal(error.status, 401);
      assert.equal(error.codeMinor, 'unauthorisedrequest');
      return true;
    });
    assert.deepEqual(statuses(env), ['token 200', 'data 401', 'token 200', 'data 401']);
  });

  it('RFC 6749 §5.2: a refused token request becomes a token_error with error and error_description', async () => {
    env = await fakeAndClient({ data: { users: [] } }, (fake) => ({
      auth: { kind: 'oauth2', tokenUrl: `${fake.url}/oauth/token`, clientId: FAKE_CLIENT_ID, clientSecret: 'wrong' },
    }));
    await assert.rejects(env.client.get('rostering', '/users/u0001'), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.code, 'token_error');
      assert.equal(error.status, 401);
      assert.equal(error.oauthError, 'invalid_client');
      assert.equal(error.description, 'client authentication failed');
      assert.match(error.message, /token request to http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed \(401\): invalid_client: client authentication failed/);
      return true;
    });
    assert.deepEqual(statuses(env), ['token 401']);
  });

  it('sends grant_type and scope as a form, and refuses a token that is not a bearer token', async () => {
    const sent: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/oauth/token')) {
        sent.push(String(init?.body));
        return Response.json({ access_token: 'abc', token_type: 'mac', expires_in: 3600 });
      }
      return fetch(input, init);
    };
    const scope = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly';
    env = await fakeAndClient({ data: { users: [] } }, (fake) => ({
      fetch: spy,
      auth: { kind: 'oauth2', tokenUrl: `${fake.url}/oauth/token`, clientId: 'c', clientSecret: 's', scope },
    }));
    await assert.rejects(env.client.get('rostering', '/users/u0001'), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.code, 'token_error');
      assert.equal(error.description, 'token_type is mac, not Bearer (RFC 6750)');
      return true;
    });
    assert.deepEqual(sent, [
      'grant_type=client_credentials&scope=https%3A%2F%2Fpurl.imsglobal.org%2Fspec%2For%2Fv1p2%2Fscope%2Froster-core.readonly+https%3A%2F%2Fpurl.imsglobal.org%2Fspec%2For%2Fv1p2%2Fscope%2Froster.readonly',
    ]);
  });
});
