import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { TenantId } from '../tenancy/ids.js';
import { type TestApp, testApp } from '../testing/test-app.js';

const SCOPE = 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly';
const USERS = '/ims/oneroster/rostering/v1p2/users';

describe('OneRoster REST request limits (429 server_busy)', () => {
  let t: TestApp;
  let tenantId: TenantId;

  async function token(): Promise<string> {
    const c = await t.oauthClient(tenantId, [SCOPE]);
    const r = await t.http.post('/oauth/token').auth(c.clientId, c.clientSecret).type('form').send({ grant_type: 'client_credentials' });
    return r.body.access_token as string;
  }

  before(async () => {
    t = await testApp({ onerosterRateLimitPerSecond: 1, onerosterRateLimitBurst: 2, onerosterMaxInFlight: 1 });
    tenantId = (await t.tenantWithAdmin('Limits District')).tenantId;
  });
  after(() => t.close());

  it("refuses a client beyond its burst with 429 server_busy and Retry-After, leaving other clients and the rate's refill alone", async () => {
    const [a, b] = [await token(), await token()];
    t.clock.now = new Date('2026-03-01T00:00:00Z');
    const get = (tok: string) => t.http.get(USERS).set('Authorization', `Bearer ${tok}`);
    assert.deepEqual([(await get(a)).status, (await get(a)).status], [200, 200]);
    const refused = await get(a);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal(refused.body.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'server_busy');
    assert.match(refused.body.imsx_description, /more requests than its rate allows/);
    assert.equal((await get(b)).status, 200);
    t.clock.now = new Date('2026-03-01T00:00:01Z');
    assert.equal((await get(a)).status, 200);
    // A request without a valid token is answered 401 and spends nobody's tokens.
    assert.equal((await t.http.get(USERS).set('Authorization', 'Bearer nope')).status, 401);
  });

  it('answers 429 with Retry-After: 1 while the process already works on its cap of requests', async () => {
    const server: Server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // A PUT whose body has not finished arriving keeps the one slot busy.
      const slow = request({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: '/ims/oneroster/gradebook/v1p2/categories/c1',
        headers: { 'content-type': 'application/json', 'content-length': '100' },
      });
      slow.on('error', () => {});
      slow.write('{"category":');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const busy = await fetch(`http://127.0.0.1:${port}${USERS}`);
      assert.equal(busy.status, 429);
      assert.equal(busy.headers.get('retry-after'), '1');
      assert.match(((await busy.json()) as { imsx_description: string }).imsx_description, /busy with other requests/);
      slow.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await fetch(`http://127.0.0.1:${port}${USERS}`)).status, 401);
    } finally {
      server.close();
    }
  });
});
