import assert from 'node:assert/strict';
import { all, type FakeAndClient, fakeAndClient } from '../../testing/fakes/oneroster-client-for-fake.js';
import { oneRosterPath } from './base-url.js';
import { OneRosterClientError } from './errors.js';

const guid = (type: string, sourcedId: string) => ({ sourcedId, type });

describe('OneRoster client: gradebook writes (fact sheet §2.2)', () => {
  let env: FakeAndClient | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  it('PUTs a lineItem (201), edits it (200), and reads the long title back', async () => {
    env = await fakeAndClient({ data: { lineItems: [] } });
    const title = `Unit 3 project: ${'very long title '.repeat(30)}`.trim();
    const lineItem = {
      status: 'active',
      title: 'Draft',
      assignDate: '2026-01-05T00:00:00.000Z',
      dueDate: '2026-01-12T00:00:00.000Z',
      class: guid('class', 'cls1'),
      resultValueMin: 0,
      resultValueMax: 100,
    };
    const created = await env.client.request('PUT', 'gradebook', '/lineItems/li1', { lineItem });
    assert.deepEqual([created.status, created.body], [201, null]);
    const edited = await env.client.request('PUT', 'gradebook', '/lineItems/li1', { lineItem: { ...lineItem, title } });
    assert.equal(edited.status, 200);
    const read = await env.client.get('gradebook', '/lineItems/li1');
    assert.equal(read.title, title);
    assert.deepEqual(read.class, guid('class', 'cls1'));
    assert.deepEqual(
      (await all(env.client.list('gradebook', '/lineItems'))).map((r) => r.sourcedId),
      ['li1'],
    );
    assert.deepEqual(
      env.fake.requests.filter((r) => r.method === 'PUT').map((r) => [r.path, r.status]),
      [
        ['/ims/oneroster/gradebook/v1p2/lineItems/li1', 201],
        ['/ims/oneroster/gradebook/v1p2/lineItems/li1', 200],
      ],
    );
  });

  it('PUTs an extra-credit result, DELETEs it (204), and it is gone from reads', async () => {
    env = await fakeAndClient({ data: { results: [] } });
    const id = 'res 1/a';
    const path = oneRosterPath`/results/${id}`;
    const result = {
      status: 'active',
      lineItem: guid('lineItem', 'li1'),
      student: guid('user', 'u0001'),
      score: 300,
      scoreStatus: 'fully graded',
      scoreDate: '2026-01-06T00:00:00.000Z',
    };
    assert.equal((await env.client.request('PUT', 'gradebook', path, { result })).status, 201);
    assert.equal((await env.client.get('gradebook', path)).score, 300);
    const deleted = await env.client.request('DELETE', 'gradebook', path);
    assert.deepEqual([deleted.status, deleted.body], [204, null]);
    await assert.rejects(
      env.client.get('gradebook', path),
      (e: unknown) => e instanceof OneRosterClientError && e.status === 404 && e.codeMinor === 'unknownobject',
    );
    assert.deepEqual(await all(env.client.list('gradebook', '/results', { filter: "scoreStatus='fully graded'" })), []);
  });

  it('a DELETE of an unknown record and a malformed PUT body are thrown with their codeMinor', async () => {
    env = await fakeAndClient({ data: { results: [] } });
    await assert.rejects(
      env.client.request('DELETE', 'gradebook', '/results/nope'),
      (e: unknown) => e instanceof OneRosterClientError && e.status === 404 && e.codeMinor === 'unknownobject',
    );
    await assert.rejects(
      env.client.request('PUT', 'gradebook', '/results/r1', { lineItem: {} }),
      (e: unknown) =>
        e instanceof OneRosterClientError && e.status === 422 && e.codeMinor === 'invaliddata' && e.description === 'the body must be {"result": {…}}',
    );
  });

  it('does not repeat a POST after a 503 (it may have allocated sourcedIds), but does repeat a PUT', async () => {
    const busy: typeof fetch = async (input, init) =>
      init?.method === 'POST' && String(input).includes('/classes/') ? new Response('', { status: 503 }) : fetch(input, init);
    let putFailures = 1;
    const flaky: typeof fetch = async (input, init) => (init?.method === 'PUT' && putFailures-- > 0 ? new Response('', { status: 503 }) : busy(input, init));
    env = await fakeAndClient({ data: { lineItems: [] } }, { fetch: flaky, random: () => 0.5 });
    await assert.rejects(
      env.client.request('POST', 'gradebook', '/classes/cls1/lineItems', { lineItems: [{ sourcedId: 'tmp1', title: 'Quiz' }] }),
      (e: unknown) => e instanceof OneRosterClientError && e.status === 503,
    );
    assert.deepEqual(env.sleeps, []);
    assert.equal((await env.client.request('PUT', 'gradebook', '/lineItems/li9', { lineItem: { title: 'Quiz' } })).status, 201);
    assert.deepEqual(env.sleeps, [250]);
  });
});
