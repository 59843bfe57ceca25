import assert from 'node:assert/strict';
import { type Harness, serviceToken, startHarness } from '../../../testing/harness.js';
import { MEDIA_TYPE, SCOPE } from '../../vocabulary.js';

describe('emulator AGS line items, scores and results (AGS 2.0 §3; lti.md §8)', () => {
  let h: Harness;
  let write: string;
  let container: string;

  before(async () => {
    h = await startHarness();
    write = await serviceToken(h, [SCOPE.lineItem, SCOPE.score, SCOPE.resultReadOnly].join(' '));
    container = h.emulator.endpoints.lineItems('course-101');
  });
  after(() => h.close());

  const call = async (method: string, url: string, token: string, body?: unknown, contentType = MEDIA_TYPE.lineItem, accept?: string) => {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}), ...(accept ? { accept } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const createItem = async (fields: Record<string, unknown> = {}) => {
    const res = await call('POST', container, write, { label: 'Quiz', scoreMaximum: 50, resourceLinkId: 'rl-week-1', tag: 'quiz', ...fields });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; label: string };
  };
  const score = (item: { id: string }, body: Record<string, unknown>) =>
    call('POST', `${new URL(item.id).origin}${new URL(item.id).pathname}/scores${new URL(item.id).search}`, write, body, MEDIA_TYPE.score);
  const aScore = (fields: Record<string, unknown> = {}) => ({
    userId: 'student',
    timestamp: new Date().toISOString(),
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    scoreGiven: 8,
    scoreMaximum: 10,
    ...fields,
  });

  it('creates a line item (201, Location, id is its URL) and lists it in the container, filtered and paged', async () => {
    const res = await call('POST', container, write, { label: 'Essay', scoreMaximum: 100, resourceId: 'essay-1', tag: 'final' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), MEDIA_TYPE.lineItem);
    assert.equal(res.headers.get('location'), res.body.id);
    assert.match(res.body.id, new RegExp(`^${container}/[0-9a-f]{16}/lineitem$`));
    assert.deepEqual({ ...res.body, id: undefined }, { id: undefined, label: 'Essay', scoreMaximum: 100, resourceId: 'essay-1', tag: 'final' });
    await createItem();
    const all = await call('GET', container, write, undefined, undefined, MEDIA_TYPE.lineItemContainer);
    assert.equal(all.headers.get('content-type'), MEDIA_TYPE.lineItemContainer);
    assert.ok(all.body.length >= 2);
    const finals = await call('GET', `${container}?tag=final`, write);
    assert.deepEqual(
      finals.body.map((i: { label: string }) => i.label),
      ['Essay'],
    );
    const byLink = await call('GET', `${container}?resource_link_id=rl-week-1&limit=1`, write);
    assert.equal(byLink.body.length, 1);
    assert.match(byLink.headers.get('link') ?? '', /rel="first"/);
  });

  it('reads, replaces (PUT, id immutable) and deletes a line item', async () => {
    const item = await createItem({ label: 'Draft' });
    assert.equal((await call('GET', item.id, write)).body.label, 'Draft');
    const put = await call('PUT', item.id, write, { id: item.id, label: 'Final', scoreMaximum: 20 });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, { id: item.id, label: 'Final', scoreMaximum: 20 });
    const moved = await call('PUT', item.id, write, { id: `${container}/other/lineitem`, label: 'x', scoreMaximum: 1 });
    assert.deepEqual([moved.status, moved.body.error_description], [400, 'line item: id cannot change']);
    assert.equal((await call('DELETE', item.id, write)).status, 204);
    assert.equal((await call('GET', item.id, write)).status, 404);
  });

  it('refuses malformed line items with 400 and the reason', async () => {
    for (const [body, reason] of [
      [{ label: 'x', scoreMaximum: 0 }, 'line item: scoreMaximum must be a number > 0'],
      [{ scoreMaximum: 5 }, 'line item: label is required'],
      [{ label: 'x', scoreMaximum: 5, resourceLinkId: 'rl-nowhere' }, 'line item: resourceLinkId rl-nowhere is not a resource link of this context'],
      [{ label: 'x', scoreMaximum: 5, startDateTime: 'tomorrow' }, 'line item: startDateTime must be an ISO 8601 date-time'],
    ] as const) {
      const res = await call('POST', container, write, body);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'invalid_request', error_description: reason });
    }
    assert.equal((await call('POST', container, write, { label: 'x', scoreMaximum: 5 }, 'text/plain')).status, 415);
  });

  it('accepts a score with 204 and reports it as a result scaled to the line item maximum', async () => {
    const item = await createItem({ scoreMaximum: 50 });
    assert.equal((await score(item, aScore({ comment: 'Well done' }))).status, 204);
    const results = await call('GET', `${item.id}/results`, write, undefined, undefined, MEDIA_TYPE.resultContainer);
    assert.equal(results.status, 200);
    assert.equal(results.headers.get('content-type'), MEDIA_TYPE.resultContainer);
    assert.deepEqual(results.body, [
      { id: `${item.id}/results?user_id=student`, scoreOf: item.id, userId: 'student', resultScore: 40, resultMaximum: 50, comment: 'Well done' },
    ]);
    const stored = h.emulator.scores(new URL(item.id).pathname.split('/')[5] as string);
    assert.equal(stored[0]?.gradingProgress, 'FullyGraded');
  });

  it('refuses malformed scores with 400 and the reason', async () => {
    const item = await createItem();
    for (const [change, reason] of [
      [{ timestamp: undefined }, 'score: timestamp must be an ISO 8601 date-time'],
      [{ activityProgress: 'Done' }, 'score: activityProgress must be one of Initialized, Started, InProgress, Submitted, Completed'],
      [{ gradingProgress: 'Graded' }, 'score: gradingProgress must be one of FullyGraded, Pending, PendingManual, Failed, NotReady'],
      [{ scoreMaximum: undefined }, 'score: scoreGiven needs scoreMaximum, a number > 0'],
      [{ scoreGiven: -1 }, 'score: scoreGiven must be a number ≥ 0'],
      [{ userId: 'stranger' }, 'score: userId stranger is not a member of the context'],
      [{ userId: undefined }, 'score: userId is required'],
    ] as const) {
      const res = await score(item, aScore(change));
      assert.equal(res.status, 400, reason);
      assert.deepEqual(res.body, { error: 'invalid_request', error_description: reason });
    }
  });

  it('refuses a score older than the one already applied (stale timestamp) with 409', async () => {
    const item = await createItem();
    assert.equal((await score(item, aScore({ timestamp: '2030-01-01T10:00:00.500Z' }))).status, 204);
    const stale = await score(item, aScore({ timestamp: '2030-01-01T09:59:59.000Z', scoreGiven: 1 }));
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error, 'stale_score');
    assert.equal((await score(item, aScore({ timestamp: '2030-01-01T10:00:01.000Z' }))).status, 204);
  });

  it('enforces scopes per operation: read-only tokens read, cannot write or score', async () => {
    const readOnly = await serviceToken(h, SCOPE.lineItemReadOnly);
    const item = await createItem();
    assert.equal((await call('GET', container, readOnly)).status, 200);
    assert.equal((await call('GET', item.id, readOnly)).status, 200);
    const post = await call('POST', container, readOnly, { label: 'x', scoreMaximum: 1 });
    assert.equal(post.status, 403);
    assert.equal(post.body.error, 'insufficient_scope');
    const res = await fetch(`${item.id}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': MEDIA_TYPE.score },
      body: JSON.stringify(aScore()),
    });
    assert.equal(res.status, 403);
    assert.equal((await call('GET', `${item.id}/results`, readOnly)).status, 403);
  });

  it("hides one tool's line items from another tool (404)", async () => {
    const item = await createItem();
    const other = h.emulator.registerTool({ initiateLoginUri: h.stub.loginUrl, redirectUris: [h.stub.launchUrl], jwksUri: h.stub.jwksUrl });
    const theirs = await serviceToken(h, SCOPE.lineItem, other.clientId);
    assert.equal((await call('GET', item.id, theirs)).status, 404);
    assert.deepEqual((await call('GET', container, theirs)).body, []);
  });

  it('builds Moodle-like line item URLs with a query string, and service paths go before it', async () => {
    const moodle = await startHarness({ lineItemQuery: { type_id: '7' } });
    try {
      const token = await serviceToken(moodle, `${SCOPE.lineItem} ${SCOPE.score}`);
      const created = await fetch(moodle.emulator.endpoints.lineItems('course-101'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA_TYPE.lineItem },
        body: JSON.stringify({ label: 'Moodle quiz', scoreMaximum: 10 }),
      });
      const item = (await created.json()) as { id: string };
      assert.match(item.id, /\/lineitem\?type_id=7$/);
      const scoreUrl = new URL(item.id);
      scoreUrl.pathname += '/scores';
      const res = await fetch(scoreUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA_TYPE.score },
        body: JSON.stringify(aScore()),
      });
      assert.equal(res.status, 204);
    } finally {
      await moodle.close();
    }
  });
});
