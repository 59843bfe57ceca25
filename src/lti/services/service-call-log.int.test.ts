import assert from 'node:assert/strict';
import type { TenantId } from '../../tenancy/ids.js';
import { createTenant } from '../../tenancy/tenants.js';
import { captureLogger } from '../../testing/capture-logger.js';
import { type TestApp, testApp } from '../../testing/test-app.js';
import { listServiceCalls, pruneServiceCalls, redactUrl, type ServiceCall, ServiceCallLog } from './service-call-log.js';

describe('LTI service call log', function () {
  this.timeout(60_000);
  let t: TestApp;
  let tenantId: TenantId;
  before(async () => {
    t = await testApp();
    tenantId = (await createTenant(t.database.db, t.ctx, 'Log school')).id as TenantId;
  });
  after(() => t.close());

  const call = (over: Partial<ServiceCall> = {}): ServiceCall => ({
    tenantId,
    registrationId: null as unknown as string,
    service: 'ags.scores',
    method: 'POST',
    url: 'https://lms.example/li/1/lineitem/scores',
    status: 204,
    outcome: 'ok',
    durationMs: 12,
    error: null,
    at: new Date('2025-02-01T00:00:00Z'),
    ...over,
  });

  it('keeps the values of service parameters only: other query values, user info and fragments are redacted', () => {
    assert.equal(
      redactUrl('https://u:p@lms.example/nrps?memberships=17387&role=Learner&limit=3&sig=abc123&type_id=1#x'),
      'https://lms.example/nrps?memberships=redacted&role=Learner&limit=3&sig=redacted&type_id=1',
    );
    assert.equal(redactUrl('https://lms.example/plain/path'), 'https://lms.example/plain/path');
    assert.equal(redactUrl('not a url?secret=1'), 'not a url');
  });

  it('writes every recorded call in batches, and logs each as one pino line (warn when it failed)', async () => {
    const { logger, lines } = captureLogger('debug');
    const log = new ServiceCallLog(t.database.db, logger, { batchSize: 3, flushIntervalMs: 10_000 });
    log.record(call({ url: 'https://lms.example/nrps?token_in_query=SECRET&limit=2', service: 'nrps.memberships', method: 'GET', status: 200 }));
    log.record(call({ status: 503, outcome: 'http-error', error: 'POST … answered 503' }));
    assert.equal((await listServiceCalls(t.database.db, tenantId)).length, 0, 'a partial batch waits');
    log.record(call({ status: null, outcome: 'transport-error', error: 'could not be reached' }));
    await log.flush();
    const rows = (await listServiceCalls(t.database.db, tenantId)).reverse();
    assert.deepEqual(
      rows.map((r) => [r.service, r.method, r.url, r.status, r.outcome, r.error]),
      [
        ['nrps.memberships', 'GET', 'https://lms.example/nrps?token_in_query=redacted&limit=2', 200, 'ok', null],
        ['ags.scores', 'POST', 'https://lms.example/li/1/lineitem/scores', 503, 'http-error', 'POST … answered 503'],
        ['ags.scores', 'POST', 'https://lms.example/li/1/lineitem/scores', null, 'transport-error', 'could not be reached'],
      ],
    );
    const levels = lines.map((l) => JSON.parse(l) as { level: number; lti: { outcome: string; url: string } });
    assert.deepEqual(
      levels.map((l) => [l.level, l.lti.outcome]),
      [
        [20, 'ok'],
        [40, 'http-error'],
        [40, 'transport-error'],
      ],
    );
    assert.ok(!lines.join('').includes('SECRET'));
    assert.equal(await pruneServiceCalls(t.database.db, new Date('2025-02-01T00:00:01Z')), 3);
  });

  it('a log write that fails is reported, never thrown at the call it describes', async () => {
    const { logger, lines } = captureLogger('debug');
    const log = new ServiceCallLog(t.database.db, logger, { batchSize: 1 });
    log.record(call({ tenantId: '00000000-0000-4000-8000-000000000000' }));
    await log.flush();
    assert.ok(lines.some((l) => /could not write the LTI service call log/.test(l) && /"rows":1/.test(l)));
  });
});
