import assert from 'node:assert/strict';
import { sampleClasses, sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { all, FAKE_CLIENT_ID, type FakeAndClient, fakeAndClient } from '../../testing/fakes/oneroster-client-for-fake.js';
import { OneRosterClientError } from './errors.js';

const v1p1 = { version: '1.1', paths: 'v1p1', auth: 'oauth1' } as const;

describe('OneRoster client: OAuth 1.0a against a 1.1 provider', () => {
  let env: FakeAndClient | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  it('signs every page of a Link-paged walk, including next links whose filter the provider re-encoded with +', async () => {
    env = await fakeAndClient({ ...v1p1, data: { users: sampleUsers(250) } }, { version: '1.1' });
    const rows = await all(env.client.list('rostering', '/users', { filter: "role='student' AND status='active'" }));
    assert.equal(rows.length, 225);
    assert.deepEqual(
      env.fake.requests.map((r) => [r.query.offset, r.status]),
      [
        ['0', 200],
        ['100', 200],
        ['200', 200],
      ],
    );
    assert.equal(env.fake.tokenRequests, 0);
    // The second and third URLs are the provider's next links, form-encoded: the signature still matched.
    assert.match(env.events[1]?.url ?? '', /filter=role%3D%27student%27\+AND\+status%3D%27active%27/);
  });

  it('signs a filter value holding spaces, single quotes and double quotes', async () => {
    env = await fakeAndClient({ ...v1p1, data: { classes: sampleClasses() } }, { version: '1.1' });
    const rows = await all(env.client.list('rostering', '/classes', { filter: `title='Algebra "Honors" 1' AND status='active'` }));
    assert.deepEqual(
      rows.map((r) => r.title),
      ['Algebra "Honors" 1'],
    );
    assert.equal(env.fake.requests[0]?.query.filter, `title='Algebra "Honors" 1' AND status='active'`);
  });

  it('with a wrong consumer secret, fails with OneRosterClientError 401 unauthorisedrequest and does not retry', async () => {
    env = await fakeAndClient(
      { ...v1p1, data: { users: sampleUsers(3) } },
      { version: '1.1', auth: { kind: 'oauth1', consumerKey: FAKE_CLIENT_ID, consumerSecret: 'not the secret' } },
    );
    await assert.rejects(all(env.client.list('rostering', '/users')), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.status, 401);
      assert.equal(error.codeMinor, 'unauthorisedrequest');
      assert.equal(error.description, 'oauth_signature does not match');
      return true;
    });
    assert.equal(env.fake.requests.length, 1);
    assert.deepEqual(env.sleeps, []);
  });

  it('a clock more than 300 s off is refused by the provider, and the error says why', async () => {
    const fast = () => new Date(Date.now() + 10 * 60_000);
    env = await fakeAndClient({ ...v1p1, data: { users: sampleUsers(3) } }, { version: '1.1', now: fast });
    await assert.rejects(env.client.get('rostering', '/users/u0001'), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.status, 401);
      assert.equal(error.description, 'oauth_timestamp is too far from the server clock');
      return true;
    });
  });
});
