import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { all, type FakeAndClient, fakeAndClient } from '../../testing/fakes/oneroster-client-for-fake.js';
import { OneRosterClientError } from './errors.js';

const dataRequests = (env: FakeAndClient) => env.fake.requests.filter((r) => r.path !== '/oauth/token');

describe('OneRoster client: retries', () => {
  let env: FakeAndClient | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  it('rides out 429 server_busy in the middle of paging, waiting exactly as long as Retry-After says', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) }, quirks: { throttle: { everyNthRequest: 2, retryAfterSeconds: 7 } } });
    const rows = await all(env.client.list('rostering', '/users'));
    assert.equal(rows.length, 250);
    assert.equal(new Set(rows.map((r) => r.sourcedId)).size, 250);
    assert.deepEqual(env.sleeps, [7000, 7000]);
    assert.deepEqual(
      dataRequests(env).map((r) => [r.query.offset, r.status]),
      [
        ['0', 200],
        ['100', 429],
        ['100', 200],
        ['200', 429],
        ['200', 200],
      ],
    );
    assert.deepEqual(
      env.events.filter((e) => e.url.includes('/users')).map((e) => [e.status, e.attempt]),
      [
        [200, 1],
        [429, 1],
        [200, 2],
        [429, 1],
        [200, 2],
      ],
    );
  });

  it('gives up after maxRetries and throws the last 429 with its status envelope', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(5) }, quirks: { throttle: { everyNthRequest: 1, retryAfterSeconds: 2 } } }, { maxRetries: 3 });
    await assert.rejects(all(env.client.list('rostering', '/users')), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.code, 'http_error');
      assert.equal(error.status, 429);
      assert.equal(error.codeMajor, 'failure');
      assert.equal(error.codeMinor, 'server_busy');
      assert.match(error.message, /answered 429 after 3 retries/);
      return true;
    });
    assert.deepEqual(env.sleeps, [2000, 2000, 2000]);
    assert.equal(dataRequests(env).length, 4);
  });

  it('without Retry-After, backs off with full jitter (base 500 ms, doubling)', async () => {
    let failures = 2;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).includes('/users') && failures-- > 0) return new Response('upstream unavailable', { status: 503 });
      return fetch(input, init);
    };
    env = await fakeAndClient({ data: { users: sampleUsers(3) } }, { fetch: flaky, random: () => 0.5 });
    assert.equal((await all(env.client.list('rostering', '/users'))).length, 3);
    assert.deepEqual(env.sleeps, [250, 500]);
    assert.deepEqual(
      env.events.filter((e) => e.url.includes('/users')).map((e) => e.status),
      [503, 503, 200],
    );
  });

  it('does not retry a 404 unknownobject', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(3) } });
    await assert.rejects(env.client.get('rostering', '/users/nobody'), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.status, 404);
      assert.equal(error.codeMinor, 'unknownobject');
      return true;
    });
    assert.deepEqual(env.sleeps, []);
    assert.equal(dataRequests(env).length, 1);
  });

  it('retries a refused connection, then reports a network_error naming the cause', async () => {
    const gone = await fakeAndClient({ data: {} }, { maxRetries: 2, random: () => 0 });
    await gone.fake.close();
    await assert.rejects(gone.client.get('rostering', '/users/u1'), (error: unknown) => {
      assert.ok(error instanceof OneRosterClientError);
      assert.equal(error.code, 'network_error');
      assert.equal(error.status, 'network-error');
      assert.match(error.message, /after 2 retries/);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
    // The token request (a POST, but declared safe to repeat) is the one that cannot connect: three attempts, two waits.
    assert.deepEqual(gone.sleeps, [0, 0]);
    assert.deepEqual(
      gone.events.map((e) => [e.status, e.attempt]),
      [
        ['network-error', 1],
        ['network-error', 2],
        ['network-error', 3],
      ],
    );
  });

  it('times out a provider that never answers, per attempt, and retries it', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/ims/oneroster`;
    try {
      env = await fakeAndClient({ data: {} }, { baseUrl: base, timeoutMs: 100, maxRetries: 1, random: () => 0 });
      await assert.rejects(env.client.get('rostering', '/users/u1'), (error: unknown) => {
        assert.ok(error instanceof OneRosterClientError);
        assert.equal(error.code, 'network_error');
        assert.match(error.message, /failed \(after 1 retry\): no complete response within 100 ms$/);
        return true;
      });
      const attempts = env.events.filter((e) => e.url.startsWith(base));
      assert.deepEqual(
        attempts.map((e) => [e.status, e.attempt]),
        [
          ['network-error', 1],
          ['network-error', 2],
        ],
      );
      assert.ok(attempts.every((e) => e.ms >= 90));
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
