import assert from 'node:assert/strict';
import { sampleClasses, sampleEnrollments, sampleOrgs, sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { all, type FakeAndClient, fakeAndClient } from '../../testing/fakes/oneroster-client-for-fake.js';
import { OneRosterClientError } from './errors.js';
import { parseLinkHeader } from './link-header.js';

const ids = (rows: Array<Record<string, unknown>>) => rows.map((r) => r.sourcedId);
const expectedIds = (n: number) => sampleUsers(n).map((u) => u.sourcedId);
const dataRequests = (env: FakeAndClient) => env.fake.requests.filter((r) => r.path !== '/oauth/token');

describe('OneRoster client: paging a collection', () => {
  let env: FakeAndClient | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  it('follows Link rel="next" and stops when a page has no next link', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) }, quirks: { omitTotalCount: true } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.deepEqual(ids(rows), expectedIds(250));
    assert.deepEqual(
      dataRequests(env).map((r) => [r.query.limit, r.query.offset, r.status]),
      [
        ['100', '0', 200],
        ['100', '100', 200],
        ['100', '200', 200],
      ],
    );
  });

  it('resolves a relative next link against the request URL', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(120) }, quirks: { relativeLinks: true, omitTotalCount: true } }, { pageSize: 50 });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.deepEqual(ids(rows), expectedIds(120));
    assert.deepEqual(
      dataRequests(env).map((r) => `${r.path}?${r.query.offset}`),
      ['/ims/oneroster/rostering/v1p2/users?0', '/ims/oneroster/rostering/v1p2/users?50', '/ims/oneroster/rostering/v1p2/users?100'],
    );
  });

  it('without Link and X-Total-Count, pages by offset: 250 records at pageSize 100 arrive once each, in order, in exactly 3 data requests', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) }, quirks: { omitLinkHeader: true, omitTotalCount: true } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.deepEqual(ids(rows), expectedIds(250));
    assert.equal(new Set(ids(rows)).size, 250);
    assert.deepEqual(
      dataRequests(env).map((r) => [r.query.limit, r.query.offset]),
      [
        ['100', '0'],
        ['100', '100'],
        ['100', '200'],
      ],
    );
    // 1 token request + 3 data requests hit the server, nothing else.
    assert.equal(env.fake.requests.length, 4);
    assert.equal(env.fake.tokenRequests, 1);
  });

  it('stops on X-Total-Count when it says everything has arrived, without asking for an empty page', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(200) }, quirks: { omitLinkHeader: true } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.deepEqual(ids(rows), expectedIds(200));
    assert.deepEqual(
      dataRequests(env).map((r) => r.query.offset),
      ['0', '100'],
    );
  });

  it('without headers, asks once more after a short first page, so a provider capping limit loses nothing', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) }, quirks: { omitLinkHeader: true, omitTotalCount: true, maxLimit: 40 } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.deepEqual(ids(rows), expectedIds(250));
    assert.deepEqual(
      dataRequests(env).map((r) => r.query.offset),
      ['0', '40', '80', '120', '160', '200', '240'],
    );
  });

  it('without headers, a collection smaller than one page costs one confirming request that comes back empty', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(25) }, quirks: { omitLinkHeader: true, omitTotalCount: true } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.deepEqual(ids(rows), expectedIds(25));
    assert.deepEqual(
      dataRequests(env).map((r) => r.query.offset),
      ['0', '25'],
    );
  });

  it('detects a provider that ignores offset and stops with an error naming the URL, having yielded the first page once', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) }, quirks: { omitLinkHeader: true, omitTotalCount: true, ignoreOffset: true } });
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const row of env?.client.list('rostering', '/users') ?? []) seen.push(row.sourcedId);
      },
      (error: unknown) => {
        assert.ok(error instanceof OneRosterClientError);
        assert.equal(error.code, 'paging_error');
        assert.match(error.message, /sourcedId u0001/);
        assert.match(error.url, /\/ims\/oneroster\/rostering\/v1p2\/users\?limit=100&offset=100$/);
        return true;
      },
    );
    assert.deepEqual(seen, expectedIds(100));
  });

  it('refuses a next link to another origin', async () => {
    const rewrite: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.set('link', '<https://elsewhere.example/ims/oneroster/rostering/v1p2/users?offset=100>; rel="next"');
      return new Response(res.body, { status: res.status, headers });
    };
    env = await fakeAndClient({ data: { users: sampleUsers(250) } }, { fetch: rewrite });
    await assert.rejects(all(env.client.list('rostering', '/users')), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.code, 'paging_error');
      assert.match(error.message, /another origin \(https:\/\/elsewhere\.example\)/);
      return true;
    });
    assert.equal(dataRequests(env).length, 1);
  });

  it('takes the one array-valued property as the collection, whatever else the body holds', async () => {
    const padded: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = (await res.json()) as Record<string, unknown>;
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify({ statusInfo: { codeMajor: 'success' }, pageNumber: 1, ...body }), { status: res.status, headers });
    };
    env = await fakeAndClient({ data: { orgs: sampleOrgs() } }, { fetch: padded });
    const rows = await all(env.client.list('rostering', '/schools'));
    assert.deepEqual(ids(rows), ['sch1']);
  });

  it('serves views and nested collections with their base keys (/schools → orgs, /classes/{id}/students → users)', async () => {
    const users = sampleUsers(30);
    env = await fakeAndClient({ data: { users, orgs: sampleOrgs(), classes: sampleClasses(), enrollments: sampleEnrollments('cls1', users.slice(0, 12)) } });
    assert.deepEqual(ids(await all(env.client.list('rostering', '/schools'))), ['sch1']);
    assert.deepEqual(ids(await all(env.client.list('rostering', '/teachers'))), ['u0010', 'u0020', 'u0030']);
    assert.deepEqual(ids(await all(env.client.list('rostering', '/classes/cls1/teachers'))), ['u0010']);
    assert.equal((await all(env.client.list('rostering', '/classes/cls1/students'))).length, 11);
    assert.deepEqual(ids(await all(env.client.list('rostering', '/schools/sch1/classes'))), ['cls1', 'cls2']);
  });

  it('passes filter, sort, orderBy and fields through and reads the projected records', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(30) } });
    const rows = await all(
      env.client.list('rostering', '/users', {
        filter: "role='teacher' AND dateLastModified>'2026-01-01T00:00:00.000Z'",
        sort: 'familyName',
        orderBy: 'desc',
        fields: ['sourcedId', 'familyName'],
      }),
    );
    assert.deepEqual(rows, [
      { sourcedId: 'u0030', familyName: 'Family0030' },
      { sourcedId: 'u0020', familyName: 'Family0020' },
      { sourcedId: 'u0010', familyName: 'Family0010' },
    ]);
    assert.equal(dataRequests(env)[0]?.query.fields, 'sourcedId,familyName');
  });

  it('reads 1.1 paths (one v1p1 base) for a client labelled 1.2, as ClassLink serves them', async () => {
    const users = sampleUsers(150);
    // Configured with the full 1.1 base, rule (b): every service goes to …/v1p1 although the client says 1.2.
    env = await fakeAndClient({ version: '1.1', paths: 'v1p1', data: { users, lineItems: [{ sourcedId: 'li1', title: 'Quiz 1' }] } }, (fake) => ({
      version: '1.2',
      baseUrl: `${fake.baseUrl}/v1p1`,
    }));
    const client = env.client;
    assert.deepEqual(ids(await all(client.list('rostering', '/users'))), expectedIds(150));
    assert.deepEqual(ids(await all(client.list('gradebook', '/lineItems'))), ['li1']);
    assert.deepEqual([...new Set(dataRequests(env).map((r) => r.path))], ['/ims/oneroster/v1p1/users', '/ims/oneroster/v1p1/lineItems']);
    assert.ok(dataRequests(env).every((r) => r.status === 200));
  });

  it('refuses to send a 1.1 provider a filter with more than one logical operator (fact sheet §3)', async () => {
    env = await fakeAndClient({ version: '1.1', paths: 'v1p1', data: { users: sampleUsers(3) } }, { version: '1.1' });
    assert.throws(() => env?.client.list('rostering', '/users', { filter: "role='student' AND status='active' AND familyName='x'" }), /at most one AND\/OR/);
    // A quoted AND inside a value is not an operator.
    assert.deepEqual(await all(env.client.list('rostering', '/users', { filter: "familyName='Smith AND Jones' AND status='active'" })), []);
  });
});

describe('OneRoster client: the Link header (RFC 8288)', () => {
  it('maps each relation type to its target, quoted or not, several types per link', () => {
    const links = parseLinkHeader('<https://a.example/u?offset=2>; rel="next", </u?offset=0>;rel=first, <https://a.example/u?x=1,2>; rel="last prev"');
    assert.deepEqual(Object.fromEntries(links ?? []), {
      next: 'https://a.example/u?offset=2',
      first: '/u?offset=0',
      last: 'https://a.example/u?x=1,2',
      prev: 'https://a.example/u?x=1,2',
    });
    assert.equal(parseLinkHeader(null), undefined);
    assert.deepEqual(parseLinkHeader('')?.size, 0);
  });
});
