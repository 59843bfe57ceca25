import assert from 'node:assert/strict';
import { oauth1AuthorizationHeader } from '../../oneroster/client/oauth1-signature.js';
import { sampleClasses, sampleOrgs, sampleUsers } from './fake-oneroster-data.js';
import { type FakeOneRosterProvider, type FakeProviderOptions, startFakeOneRosterProvider } from './fake-oneroster-provider.js';

/** The fake is a test peer: these pin down that it behaves like a provider, so client tests mean something. */
describe('fake OneRoster provider', () => {
  let fake: FakeOneRosterProvider | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const start = async (o: Partial<FakeProviderOptions>) => {
    fake = await startFakeOneRosterProvider({ version: '1.2', paths: 'v1p2', auth: 'oauth2', clientId: 'id', clientSecret: 'secret', data: {}, ...o });
    return fake;
  };
  const token = async (f: FakeOneRosterProvider) => {
    const res = await fetch(`${f.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('id:secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const get = async (f: FakeOneRosterProvider, path: string, bearer: string) => {
    const res = await fetch(`${f.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const codeMinor = (body: Record<string, unknown>) =>
    (body as { imsx_CodeMinor?: { imsx_codeMinorField: Array<{ imsx_codeMinorFieldValue: string }> } }).imsx_CodeMinor?.imsx_codeMinorField[0]
      ?.imsx_codeMinorFieldValue;

  it('RFC 6749 §2.3.1 / §5.2: the token endpoint demands Basic client authentication and client_credentials', async () => {
    const f = await start({});
    const noAuth = await fetch(`${f.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(noAuth.status, 401);
    assert.deepEqual(await noAuth.json(), { error: 'invalid_client', error_description: 'client authentication failed' });
    const wrongGrant = await fetch(`${f.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('id:secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    assert.equal(wrongGrant.status, 400);
    assert.equal(((await wrongGrant.json()) as { error: string }).error, 'unsupported_grant_type');
    assert.equal(f.tokenRequests, 2);
  });

  it('expires bearer tokens on its own clock', async () => {
    const clock = { now: new Date('2026-01-05T10:00:00Z') };
    const f = await start({ data: { users: sampleUsers(1) }, tokenTtlSeconds: 60, now: () => clock.now });
    const bearer = await token(f);
    assert.equal((await get(f, '/rostering/v1p2/users/u0001', bearer)).status, 200);
    clock.now = new Date(clock.now.getTime() + 60_000);
    const expired = await get(f, '/rostering/v1p2/users/u0001', bearer);
    assert.deepEqual(
      [expired.status, codeMinor(expired.body), expired.headers.get('www-authenticate')],
      [401, 'unauthorisedrequest', 'Bearer error="invalid_token", error_description="the token has expired"'],
    );
  });

  it('pages with X-Total-Count and Link first/prev/next/last, capping limit at maxLimit', async () => {
    const f = await start({ data: { users: sampleUsers(250) }, quirks: { maxLimit: 100 } });
    const page = await get(f, '/rostering/v1p2/users?limit=500&offset=100', await token(f));
    const base = `${f.baseUrl}/rostering/v1p2/users`;
    assert.equal((page.body.users as unknown[]).length, 100);
    assert.equal(page.headers.get('x-total-count'), '250');
    assert.equal(
      page.headers.get('link'),
      `<${base}?limit=100&offset=200>; rel="next", <${base}?limit=100&offset=200>; rel="last", <${base}?limit=100&offset=0>; rel="first", <${base}?limit=100&offset=0>; rel="prev"`,
    );
  });

  it('filters deltas by dateLastModified and exact values; anything else is 400 invalid_filter_field', async () => {
    const users = [...sampleUsers(3), ...sampleUsers(2, '2026-02-01T00:00:00.000Z').map((u) => ({ ...u, sourcedId: `new-${String(u.sourcedId)}` }))];
    const f = await start({ data: { users } });
    const bearer = await token(f);
    const q = (filter: string) => get(f, `/rostering/v1p2/users?filter=${encodeURIComponent(filter)}`, bearer);
    const delta = await q("dateLastModified>'2026-01-31T00:00:00.000Z' AND role='student'");
    assert.deepEqual(
      (delta.body.users as Array<{ sourcedId: string }>).map((u) => u.sourcedId),
      ['new-u0001', 'new-u0002'],
    );
    assert.deepEqual((await q("sourcedId='norecords'")).body, { users: [] });
    for (const bad of ["username~'stud1'", "role='student' OR role='teacher'", "orgs.sourcedId='sch1'", "shoeSize='9'"]) {
      const res = await q(bad);
      assert.deepEqual([res.status, codeMinor(res.body)], [400, 'invalid_filter_field'], bad);
    }
  });

  it('answers an unknown parent of a nested route with 404 on 1.2 and with 200 and [] on 1.1 (fact sheet §10.11)', async () => {
    const data = { orgs: sampleOrgs(), classes: sampleClasses() };
    const f12 = await start({ data });
    const missing = await get(f12, '/rostering/v1p2/schools/1000000/classes', await token(f12));
    assert.deepEqual([missing.status, codeMinor(missing.body)], [404, 'unknownobject']);
    const known = await get(f12, '/rostering/v1p2/schools/sch1/classes', await token(f12));
    assert.deepEqual(
      (known.body.classes as Array<{ sourcedId: string }>).map((c) => c.sourcedId),
      ['cls1', 'cls2'],
    );
    await f12.close();
    const f11 = await start({ version: '1.1', paths: 'v1p1', data });
    const empty = await get(f11, '/v1p1/schools/1000000/classes', await token(f11));
    assert.deepEqual([empty.status, empty.body], [200, { classes: [] }]);
  });

  it('serves each 1.2 service only under its own base', async () => {
    const f = await start({ data: { lineItems: [{ sourcedId: 'li1' }] } });
    const bearer = await token(f);
    assert.equal((await get(f, '/gradebook/v1p2/lineItems', bearer)).status, 200);
    const wrong = await get(f, '/rostering/v1p2/lineItems', bearer);
    assert.deepEqual([wrong.status, codeMinor(wrong.body)], [404, 'unknownobject']);
  });

  it('RFC 5849 §3.3: refuses a replayed OAuth 1.0a request and one whose query was changed after signing', async () => {
    const f = await start({ auth: 'oauth1', version: '1.1', paths: 'v1p1', data: { users: sampleUsers(3) } });
    const url = new URL(`${f.baseUrl}/v1p1/users?filter=${encodeURIComponent("role='student'")}`);
    const authorization = oauth1AuthorizationHeader('GET', url, { consumerKey: 'id', consumerSecret: 'secret' }, new Date());
    const first = await fetch(url, { headers: { authorization } });
    assert.equal(first.status, 200);
    const replay = await fetch(url, { headers: { authorization } });
    assert.deepEqual([replay.status, ((await replay.json()) as { imsx_description: string }).imsx_description], [401, 'oauth_nonce has been used before']);
    const tampered = await fetch(`${url.href.replace('student', 'teacher')}`, { headers: { authorization } });
    assert.deepEqual([tampered.status, ((await tampered.json()) as { imsx_description: string }).imsx_description], [401, 'oauth_signature does not match']);
    assert.deepEqual(
      f.requests.map((r) => r.status),
      [200, 401, 401],
    );
  });
});
