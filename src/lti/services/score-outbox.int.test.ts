import assert from 'node:assert/strict';
import { Problem } from '../../problems.js';
import type { TenantId } from '../../tenancy/ids.js';
import { createTenant } from '../../tenancy/tenants.js';
import { removePlatform } from '../registrations/platforms.js';
import type { Registration } from '../registrations/registration.js';
import { deliverDueScores } from './deliver-due-scores.js';
import type { Score } from './score.js';
import { enqueueScores, listOutbox, requeueScore } from './score-outbox.js';
import { LtiServiceError } from './service-errors.js';
import { type FlakyProxy, startFlakyProxy } from './testing/flaky-proxy.js';
import { COURSE, type ServicesHarness, startServicesHarness } from './testing/services-harness.js';

/** The score outbox (issue 6 item 5): durable passback, retried with backoff, never dropped. */
describe('LTI score outbox (grade passback that survives outages)', function () {
  this.timeout(60_000);
  let h: ServicesHarness;
  let proxy: FlakyProxy;
  let reg: Registration;
  let stamp = 0;
  const score = (userId: string, scoreGiven = 8): Score => ({
    userId,
    timestamp: new Date(Date.UTC(2025, 1, 1, 0, 0, 0, ++stamp)).toISOString(),
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    scoreGiven,
    scoreMaximum: 10,
  });
  /** A new line item, addressed through the proxy; and its id at the emulator. */
  const lineItem = (label: string) => {
    const item = h.emulator.createLineItem(COURSE, h.tool.clientId, { label, scoreMaximum: 10 });
    return { url: proxy.via(item.url), id: item.id };
  };
  const deliver = (extra: Partial<Parameters<typeof deliverDueScores>[2]> = {}) =>
    deliverDueScores(h.t.database.db, h.services, { now: h.now, random: () => 0, retry: { baseDelayMs: 1000 }, logger: h.t.logger, ...extra });
  const row = async (id: string) => (await listOutbox(h.t.database.db, h.tenantId, { limit: 1000 })).find((r) => r.id === id);

  before(async () => {
    h = await startServicesHarness();
    proxy = await startFlakyProxy(h.emulator.url);
    // Token requests go through the proxy too; the assertion is still addressed to the emulator's token endpoint.
    reg = await h.register({
      clientId: h.tool.clientId,
      issuer: proxy.origin,
      tokenUrl: proxy.via(h.emulator.endpoints.token),
      tokenAudience: h.emulator.endpoints.token,
    });
  });
  beforeEach(() => {
    proxy.plan = () => 'pass';
  });
  after(async () => {
    await proxy.close();
    await h.close();
  });

  it('delivers queued scores and marks each sent, with its status and time', async () => {
    const li = lineItem('Passback 1');
    const ids = await enqueueScores(
      h.t.database.db,
      h.tenantId,
      reg.id,
      ['student', 'student-no-pii', 'student-only-email'].map((u) => ({ lineItemUrl: li.url, score: score(u) })),
      h.now(),
    );
    assert.deepEqual(await deliver(), { claimed: 3, sent: 3, retrying: 0, failed: 0, released: 0 });
    assert.deepEqual(
      h.emulator
        .scores(li.id)
        .map((s) => s.userId)
        .sort(),
      ['student', 'student-no-pii', 'student-only-email'],
    );
    for (const id of ids) {
      const r = await row(id);
      assert.deepEqual([r?.state, r?.attempts, r?.lastStatus, r?.failure, r?.lastError], ['sent', 1, 204, null, null]);
      assert.ok(r?.sentAt instanceof Date);
    }
    assert.deepEqual(await deliver(), { claimed: 0, sent: 0, retrying: 0, failed: 0, released: 0 }, 'nothing is delivered twice');
  });

  it('retries through a flaky period, honouring Retry-After, and keeps the last error until it gets through', async () => {
    const li = lineItem('Flaky');
    let refusals = 0;
    proxy.plan = (req) =>
      req.path.includes('/scores') && refusals++ < 2 ? { status: 503, headers: { 'Retry-After': '30' }, body: 'down for maintenance' } : 'pass';
    const [id] = await enqueueScores(h.t.database.db, h.tenantId, reg.id, [{ lineItemUrl: li.url, score: score('student') }], h.now());
    const t0 = h.now().getTime();
    assert.deepEqual(await deliver(), { claimed: 1, sent: 0, retrying: 1, failed: 0, released: 0 });
    let r = await row(id as string);
    assert.deepEqual([r?.state, r?.attempts, r?.lastStatus], ['pending', 1, 503]);
    assert.match(r?.lastError ?? '', /answered 503 \(down for maintenance\)/);
    assert.ok(Math.abs((r?.nextAttemptAt.getTime() ?? 0) - (t0 + 30_000)) < 1000, 'due again after Retry-After');
    assert.equal((await deliver()).claimed, 0, 'not due yet');
    h.advance(30_000);
    assert.deepEqual(await deliver(), { claimed: 1, sent: 0, retrying: 1, failed: 0, released: 0 });
    h.advance(30_000);
    assert.deepEqual(await deliver(), { claimed: 1, sent: 1, retrying: 0, failed: 0, released: 0 });
    r = await row(id as string);
    assert.deepEqual([r?.state, r?.attempts, r?.lastStatus, r?.lastError], ['sent', 3, 204, null]);
    assert.equal(h.emulator.scores(li.id).length, 1);
    const logged = (await h.calls()).filter((c) => c.service === 'ags.scores' && c.url.startsWith(proxy.origin) && c.url.includes(new URL(li.url).pathname));
    assert.deepEqual(
      logged.map((c) => [c.status, c.outcome]),
      [
        [503, 'http-error'],
        [503, 'http-error'],
        [204, 'ok'],
      ],
    );
  });

  it('retries a dropped connection with exponential backoff (equal jitter), and gives up after maxAttempts — kept as failed', async () => {
    const li = lineItem('Unreachable');
    proxy.plan = (req) => (req.path.includes('/scores') ? 'drop' : 'pass');
    const queued = score('student');
    const [id] = await enqueueScores(h.t.database.db, h.tenantId, reg.id, [{ lineItemUrl: li.url, score: queued }], h.now());
    const options = { retry: { baseDelayMs: 1000, maxAttempts: 3 } };
    let t = h.now().getTime();
    assert.equal((await deliver(options)).retrying, 1);
    let r = await row(id as string);
    assert.equal(r?.lastStatus, null);
    assert.match(r?.lastError ?? '', /could not be reached/);
    assert.ok(Math.abs((r?.nextAttemptAt.getTime() ?? 0) - (t + 500)) < 200, 'attempt 1: step 1 s, random 0 → half of it');
    h.advance(500);
    t = h.now().getTime();
    assert.equal((await deliver(options)).retrying, 1);
    r = await row(id as string);
    assert.ok(Math.abs((r?.nextAttemptAt.getTime() ?? 0) - (t + 1000)) < 200, 'attempt 2: step 2 s → at least 1 s');
    h.advance(1000);
    assert.deepEqual(await deliver(options), { claimed: 1, sent: 0, retrying: 0, failed: 1, released: 0 });
    r = await row(id as string);
    assert.deepEqual([r?.state, r?.failure, r?.attempts], ['failed', 'attempts-exhausted', 3]);
    assert.deepEqual(r?.score, queued, 'the score is kept as queued');
  });

  it('records a 400 rejection as failed (not retried, not dropped) and delivers it after an administrator requeues it', async () => {
    const li = lineItem('Rejected');
    h.emulator.directory.putUser({ id: 'late-joiner', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] });
    const [id] = await enqueueScores(h.t.database.db, h.tenantId, reg.id, [{ lineItemUrl: li.url, score: score('late-joiner') }], h.now());
    assert.deepEqual(await deliver(), { claimed: 1, sent: 0, retrying: 0, failed: 1, released: 0 });
    const r = await row(id as string);
    assert.deepEqual([r?.state, r?.failure, r?.lastStatus, r?.attempts], ['failed', 'rejected', 400, 1]);
    assert.match(r?.lastError ?? '', /userId late-joiner is not a member of the context/);
    h.advance(3_600_000);
    assert.equal((await deliver()).claimed, 0, 'a failed row is never picked up again by itself');
    h.emulator.directory.setMembership(COURSE, 'late-joiner', 'Active');
    assert.equal(await requeueScore(h.t.database.db, h.tenantId, id as string, h.now()), true);
    assert.deepEqual(await deliver(), { claimed: 1, sent: 1, retrying: 0, failed: 0, released: 0 });
    assert.equal((await row(id as string))?.state, 'sent');
    assert.equal(await requeueScore(h.t.database.db, h.tenantId, id as string, h.now()), false, 'only failed rows are requeued');
  });

  it('records a stale score (409) as failed with stale-score; 5xx, 429 and 408 are retried, 403 and 404 are not', async () => {
    const li = lineItem('Stale');
    const newer = score('student', 9);
    const older = { ...score('student', 3), timestamp: '2020-01-01T00:00:00.000Z' };
    const [first] = await enqueueScores(h.t.database.db, h.tenantId, reg.id, [{ lineItemUrl: li.url, score: newer }], h.now());
    await deliver();
    const [stale] = await enqueueScores(h.t.database.db, h.tenantId, reg.id, [{ lineItemUrl: li.url, score: older }], h.now());
    await deliver();
    assert.equal((await row(first as string))?.state, 'sent');
    const r = await row(stale as string);
    assert.deepEqual([r?.state, r?.failure, r?.lastStatus], ['failed', 'stale-score', 409]);
    assert.equal(h.emulator.scores(li.id)[0]?.scoreGiven, 9, 'the newer score stands');

    for (const [status, expected] of [
      [500, 'retrying'],
      [429, 'retrying'],
      [408, 'retrying'],
      [403, 'failed'],
      [404, 'failed'],
    ] as const) {
      const other = lineItem(`Status ${status}`);
      proxy.plan = (req) => (req.path.includes('/scores') ? { status, body: '{"error":"x"}', headers: { 'Content-Type': 'application/json' } } : 'pass');
      await enqueueScores(h.t.database.db, h.tenantId, reg.id, [{ lineItemUrl: other.url, score: score('student') }], h.now());
      const report = await deliver();
      assert.equal(report[expected], 1, `${status}: ${JSON.stringify(report)}`);
    }
  });

  it('fails the scores of a removed registration as registration-missing, keeping them', async () => {
    const li = lineItem('Orphan');
    const doomed = await h.register({ clientId: 'doomed', issuer: 'https://doomed.example', tokenUrl: h.emulator.endpoints.token });
    const [id] = await enqueueScores(h.t.database.db, h.tenantId, doomed.id, [{ lineItemUrl: li.url, score: score('student') }], h.now());
    await removePlatform(h.t.database.db, h.t.ctx, h.tenantId, doomed.id);
    h.advance(1_000_000_000);
    const report = await deliver({ limit: 1000 });
    assert.ok(report.failed >= 1);
    const r = await row(id as string);
    assert.deepEqual([r?.state, r?.failure, r?.registrationId], ['failed', 'registration-missing', null]);
    assert.equal(r?.score.userId, 'student');
  });

  it('two workers delivering at once post each score exactly once', async () => {
    const li = lineItem('Concurrent');
    const users = Array.from({ length: 20 }, (_, i) => `bulk-${i}`);
    for (const u of users) {
      h.emulator.directory.putUser({ id: u, roles: [] });
      h.emulator.directory.setMembership(COURSE, u, 'Active');
    }
    await enqueueScores(
      h.t.database.db,
      h.tenantId,
      reg.id,
      users.map((u) => ({ lineItemUrl: li.url, score: score(u) })),
      h.now(),
    );
    const before = proxy.hits.length;
    const [a, b] = await Promise.all([deliver({ limit: 20, concurrency: 4 }), deliver({ limit: 20, concurrency: 4 })]);
    assert.equal((a?.sent ?? 0) + (b?.sent ?? 0), 20);
    assert.equal((a?.claimed ?? 0) + (b?.claimed ?? 0), 20);
    assert.equal(proxy.hits.slice(before).filter((x) => x.path.includes('/scores')).length, 20);
    assert.equal(h.emulator.scores(li.id).length, 20);
  });

  it('hands back rows it could not start early enough in their lease, so a slow batch never overlaps another worker', async () => {
    const li = lineItem('Slow platform');
    const users = ['student', 'student-no-pii', 'student-only-email'];
    const ids = await enqueueScores(
      h.t.database.db,
      h.tenantId,
      reg.id,
      users.map((u) => ({ lineItemUrl: li.url, score: score(u) })),
      h.now(),
    );
    // Each score post takes 40 s of the (test) clock: with a 100 s lease, rows may start up to 50 s in.
    proxy.plan = (req) => {
      if (req.path.includes('/scores')) h.advance(40_000);
      return 'pass';
    };
    const report = await deliver({ concurrency: 1, leaseMs: 100_000 });
    assert.deepEqual(report, { claimed: 3, sent: 2, retrying: 0, failed: 0, released: 1 });
    const rows = await Promise.all(ids.map((id) => row(id)));
    const released = rows.find((r) => r?.state === 'pending');
    assert.equal(released?.attempts, 0, 'the attempt it never made is not counted');
    assert.ok((released?.nextAttemptAt.getTime() ?? Number.POSITIVE_INFINITY) <= h.now().getTime(), 'due again at once');
    proxy.plan = () => 'pass';
    assert.deepEqual(await deliver(), { claimed: 1, sent: 1, retrying: 0, failed: 0, released: 0 });
  });

  it('refuses to queue an invalid score (pointers into the batch) or into another tenant’s registration, queuing nothing', async () => {
    const count = async () => (await listOutbox(h.t.database.db, h.tenantId, { limit: 10_000 })).length;
    const n = await count();
    const li = lineItem('Never');
    await assert.rejects(
      enqueueScores(
        h.t.database.db,
        h.tenantId,
        reg.id,
        [
          { lineItemUrl: li.url, score: score('student') },
          { lineItemUrl: 'not a url', score: { ...score('student'), scoreMaximum: undefined } as Score },
        ],
        h.now(),
      ),
      (e: unknown) =>
        e instanceof LtiServiceError &&
        e.code === 'score-invalid' &&
        JSON.stringify(e.details.problems?.map((p) => p.pointer)) === JSON.stringify(['/1/lineItemUrl', '/1/score/scoreMaximum']),
    );
    const other = (await createTenant(h.t.database.db, h.t.ctx, 'Other school')).id as TenantId;
    await assert.rejects(
      enqueueScores(h.t.database.db, other, reg.id, [{ lineItemUrl: li.url, score: score('student') }], h.now()),
      (e: unknown) => e instanceof Problem && e.status === 404,
    );
    assert.equal(await count(), n);
  });
});
