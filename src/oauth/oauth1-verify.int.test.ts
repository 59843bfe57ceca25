import assert from 'node:assert/strict';
import { oauth1AuthorizationHeader } from '../oneroster/client/oauth1-signature.js';
import { importPackage } from '../oneroster/csv/import/import-package.js';
import type { TenantId } from '../tenancy/ids.js';
import { revokeOAuthClient } from '../tenancy/oauth-clients.js';
import { memoryPackage } from '../testing/memory-package.js';
import { samplePackage } from '../testing/oneroster-sample.js';
import { cliContext, type TestApp, testApp } from '../testing/test-app.js';
import { parseOAuth1Header } from './oauth1-verify.js';

const V11 = 'https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly';
const PUBLIC = 'https://edhub.example';

describe('OAuth 1.0a on OneRoster 1.1 (provider side)', () => {
  let t: TestApp;
  let tenantId: TenantId;
  let client: { clientId: string; clientSecret: string };

  /** A request signed for the public URL (the app is reached through supertest on another host, as behind a proxy). */
  function signed(path: string, credentials = { consumerKey: client.clientId, consumerSecret: client.clientSecret }, now = t.clock.now, nonce?: string) {
    const header = oauth1AuthorizationHeader('GET', new URL(`${PUBLIC}${path}`), credentials, now, nonce);
    return { header, send: () => t.http.get(path).set('Authorization', header) };
  }
  const reason = (r: { body: { imsx_description?: string } }) => r.body.imsx_description ?? '';

  before(async () => {
    t = await testApp({ baseUrl: PUBLIC });
    tenantId = (await t.tenantWithAdmin('OAuth1 District')).tenantId;
    const other = (await t.tenantWithAdmin('Other District')).tenantId;
    for (const tenant of [tenantId, other]) {
      const r = await importPackage(t.database.db, memoryPackage(samplePackage('1.1')), {
        tenantId: tenant,
        sourceName: 's.zip',
        ctx: cliContext,
        copyIn: t.database.copyIn,
      });
      assert.equal(r.status, 'succeeded');
    }
    client = await t.oauthClient(tenantId, [V11], { oauth1: true });
  });
  after(() => t.close());

  it("serves a signed 1.1 request — a filter with spaces and quotes in the query — from the client's tenant", async () => {
    const path = `/ims/oneroster/v1p1/users?filter=${encodeURIComponent("role='student' AND familyName~'o'")}&limit=5`;
    const r = await signed(path).send();
    assert.equal(r.status, 200, reason(r));
    assert.ok(r.body.users.length > 0);
    assert.ok(r.body.users.every((u: { role: string }) => u.role === 'student'));
    assert.equal(r.headers['x-total-count'], String(r.body.users.length));
  });

  it('refuses a replayed request, a wrong secret, a stale timestamp and a client without OAuth 1.0a, each naming the check', async () => {
    const once = signed('/ims/oneroster/v1p1/orgs', undefined, t.clock.now, 'nonce-replay-1');
    assert.equal((await once.send()).status, 200);
    const replay = await once.send();
    assert.equal(replay.status, 401);
    assert.match(reason(replay), /oauth_nonce was already used/);

    const wrong = await signed('/ims/oneroster/v1p1/orgs', { consumerKey: client.clientId, consumerSecret: 'ehs_not-the-secret' }).send();
    assert.equal(wrong.status, 401);
    assert.match(reason(wrong), /oauth_signature does not match/);

    const stale = await signed('/ims/oneroster/v1p1/orgs', undefined, new Date(t.clock.now.getTime() - 3_600_000)).send();
    assert.equal(stale.status, 401);
    assert.match(reason(stale), /oauth_timestamp is 3600 seconds old/);

    const bearerOnly = await t.oauthClient(tenantId, [V11]);
    const plain = await signed('/ims/oneroster/v1p1/orgs', { consumerKey: bearerOnly.clientId, consumerSecret: bearerOnly.clientSecret }).send();
    assert.equal(plain.status, 401);
    assert.match(reason(plain), /no active client that accepts OAuth 1\.0a/);
  });

  it('signs the URL the client used: a request signed for another host or another query fails', async () => {
    const header = oauth1AuthorizationHeader(
      'GET',
      new URL('http://127.0.0.1/ims/oneroster/v1p1/orgs'),
      { consumerKey: client.clientId, consumerSecret: client.clientSecret },
      t.clock.now,
    );
    assert.equal((await t.http.get('/ims/oneroster/v1p1/orgs').set('Authorization', header)).status, 401);
    const forLimit5 = signed('/ims/oneroster/v1p1/orgs?limit=5');
    const r = await t.http.get('/ims/oneroster/v1p1/orgs?limit=6').set('Authorization', forLimit5.header);
    assert.equal(r.status, 401);
    assert.match(reason(r), /oauth_signature does not match/);
  });

  it('accepts OAuth 1.0a on 1.1 paths only, and refuses malformed headers and duplicated parameters', async () => {
    const v12 = await signed('/ims/oneroster/rostering/v1p2/orgs').send();
    assert.equal(v12.status, 401);
    assert.match(reason(v12), /1\.1 paths only/);
    const malformed = await t.http.get('/ims/oneroster/v1p1/orgs').set('Authorization', 'OAuth oauth_consumer_key=unquoted');
    assert.equal(malformed.status, 401);
    assert.match(reason(malformed), /malformed at character 1/);
    const lacking = await t.http.get('/ims/oneroster/v1p1/orgs').set('Authorization', `OAuth oauth_consumer_key="${client.clientId}"`);
    assert.match(reason(lacking), /lacks oauth_signature_method, oauth_timestamp, oauth_nonce, oauth_signature/);
    const inQuery = signed('/ims/oneroster/v1p1/orgs?oauth_nonce=x');
    assert.match(reason(await inQuery.send()), /not also in the query/);
    assert.equal(parseOAuth1Header('OAuth a="1", a="2"'), 'the OAuth parameter a appears twice');
    const parsed = parseOAuth1Header('OAuth realm="Example", oauth_nonce="a%2Cb%20c",oauth_version="1.0"');
    assert.deepEqual(parsed instanceof Map ? [...parsed] : parsed, [
      ['oauth_nonce', 'a,b c'],
      ['oauth_version', '1.0'],
    ]);
  });

  it('forgets the secret when the client is revoked: signatures then fail like an unknown key', async () => {
    const doomed = await t.oauthClient(tenantId, [V11], { oauth1: true });
    const before = await t.database.db
      .selectFrom('oauth_clients')
      .select('oauth1_secret_id')
      .where('client_id', '=', doomed.clientId)
      .executeTakeFirstOrThrow();
    assert.ok(before.oauth1_secret_id);
    const ok = await signed('/ims/oneroster/v1p1/orgs', { consumerKey: doomed.clientId, consumerSecret: doomed.clientSecret }).send();
    assert.equal(ok.status, 200);
    await revokeOAuthClient(t.database.db, t.vault, cliContext, tenantId, doomed.clientId);
    const secretRows = await t.database.db.selectFrom('vault_secrets').select('id').where('id', '=', before.oauth1_secret_id).execute();
    assert.equal(secretRows.length, 0);
    const r = await signed('/ims/oneroster/v1p1/orgs', { consumerKey: doomed.clientId, consumerSecret: doomed.clientSecret }).send();
    assert.equal(r.status, 401);
    assert.match(reason(r), /no active client/);
  });
});
