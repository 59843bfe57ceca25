import assert from 'node:assert/strict';
import { type LtiEmulator, startLtiEmulator } from '../../../conformance/lti/emulator/index.js';
import type { Registration } from '../registrations/registration.js';
import {
  createLineItem,
  deleteLineItem,
  getLineItem,
  lineItemSubresource,
  listLineItems,
  listResults,
  postScore,
  readScopeFor,
  type Score,
  scoreTimestamp,
  updateLineItem,
} from './ags.js';
import { LtiServiceError } from './service-errors.js';
import { json, type ScriptedPlatform, startScriptedPlatform } from './testing/scripted-platform.js';
import { all, COURSE, LINK, type ServicesHarness, startServicesHarness } from './testing/services-harness.js';
import { MEDIA_TYPE, SCOPE } from './vocabulary.js';

const at = (s: number) => scoreTimestamp(new Date(Date.UTC(2025, 0, 31, 12, 0, s)));
const graded = (userId: string, scoreGiven: number, second: number): Score => ({
  userId,
  timestamp: at(second),
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  scoreGiven,
  scoreMaximum: 100,
});

async function rejects(p: Promise<unknown>, code: string, check: (e: LtiServiceError) => void = () => {}) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof LtiServiceError, String(err));
    assert.equal(err.code, code, err.message);
    check(err);
    return true;
  });
}

describe('AGS 2.0 URL building (fact sheet §8.2)', () => {
  it('inserts /scores and /results into the path, before any query string (Moodle ?type_id=)', () => {
    const moodle = 'https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1';
    assert.equal(lineItemSubresource(moodle, 'scores'), 'https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1');
    assert.equal(lineItemSubresource(`${moodle}#frag`, 'results'), 'https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem/results?type_id=1');
    assert.equal(
      lineItemSubresource('https://canvas.example/api/lti/courses/1/line_items/5/', 'scores'),
      'https://canvas.example/api/lti/courses/1/line_items/5/scores',
    );
    assert.throws(
      () => lineItemSubresource('/relative/lineitem', 'scores'),
      (e: unknown) => e instanceof LtiServiceError && e.code === 'url-invalid',
    );
  });

  it('reads line items with lineitem.readonly unless the platform offers only lineitem', () => {
    assert.equal(readScopeFor(undefined), SCOPE.lineItemReadOnly);
    assert.equal(readScopeFor([SCOPE.lineItem, SCOPE.lineItemReadOnly, SCOPE.score]), SCOPE.lineItemReadOnly);
    assert.equal(readScopeFor([SCOPE.lineItem, SCOPE.score]), SCOPE.lineItem);
  });
});

describe('AGS 2.0 line items, scores and results (tool side, against the emulator)', function () {
  this.timeout(60_000);
  let h: ServicesHarness;
  let moodle: LtiEmulator;
  let moodleReg: Registration;
  let scripted: ScriptedPlatform;
  before(async () => {
    h = await startServicesHarness({ emulator: { defaultPageSize: 2 } });
    moodle = await startLtiEmulator({ lineItemQuery: { type_id: '1' } });
    const tool = moodle.registerTool({
      initiateLoginUri: 'http://127.0.0.1:9/l',
      redirectUris: ['http://127.0.0.1:9/r'],
      jwks: h.tool.jwks as NonNullable<typeof h.tool.jwks>,
    });
    moodleReg = await h.register({ clientId: tool.clientId, tokenUrl: moodle.endpoints.token, issuer: moodle.issuer });
    scripted = await startScriptedPlatform();
  });
  after(async () => {
    await scripted.close();
    await moodle.close();
    await h.close();
  });

  it('creates line items, lists them with resource_link_id / resource_id / tag filters across pages, reads, replaces and deletes one', async () => {
    const container = h.emulator.endpoints.lineItems(COURSE);
    const quiz = await createLineItem(h.client(), container, { label: 'Quiz 1', scoreMaximum: 10, resourceLinkId: LINK, tag: 'quiz', resourceId: 'q1' });
    const essay = await createLineItem(h.client(), container, {
      label: 'Essay',
      scoreMaximum: 50,
      tag: 'essay',
      resourceId: 'e1',
      endDateTime: '2025-06-01T00:00:00Z',
    });
    const quiz2 = await createLineItem(h.client(), container, { label: 'Quiz 2', scoreMaximum: 10, tag: 'quiz', resourceId: 'q2' });
    assert.match(quiz.id, /\/lineitems\/[0-9a-f]+\/lineitem$/);
    assert.deepEqual(essay, { id: essay.id, label: 'Essay', scoreMaximum: 50, tag: 'essay', resourceId: 'e1', endDateTime: '2025-06-01T00:00:00Z' });

    const everything = await all(listLineItems(h.client(), container));
    assert.deepEqual(
      everything.map((p) => p.lineItems.length),
      [2, 1],
      'the emulator pages by 2',
    );
    assert.deepEqual(everything.flatMap((p) => p.lineItems.map((i) => i.label)).sort(), ['Essay', 'Quiz 1', 'Quiz 2']);
    const ids = async (query: Parameters<typeof listLineItems>[2]) =>
      (await all(listLineItems(h.client(), container, query))).flatMap((p) => p.lineItems.map((i) => i.id));
    assert.deepEqual(await ids({ tag: 'quiz' }), [quiz.id, quiz2.id]);
    assert.deepEqual(await ids({ resourceLinkId: LINK }), [quiz.id]);
    assert.deepEqual(await ids({ resourceId: 'e1' }), [essay.id]);
    assert.deepEqual(await ids({ tag: 'quiz', limit: 1 }), [quiz.id, quiz2.id]);

    assert.deepEqual(await getLineItem(h.client(), quiz2.id), quiz2);
    const replaced = await updateLineItem(h.client(), quiz2.id, { label: 'Quiz 2 (retake)', scoreMaximum: 20 });
    assert.deepEqual(replaced, { id: quiz2.id, label: 'Quiz 2 (retake)', scoreMaximum: 20 }, 'PUT replaces: tag and resourceId are gone');
    await deleteLineItem(h.client(), essay.id);
    await rejects(getLineItem(h.client(), essay.id), 'not-found', (e) => assert.equal(e.details.status, 404));
  });

  it('posts scores with every field and reads them back as results, by user and paged', async () => {
    const item = await createLineItem(h.client(), h.emulator.endpoints.lineItems(COURSE), { label: 'Lab', scoreMaximum: 20 });
    const full: Score = {
      userId: 'student',
      timestamp: '2025-01-31T12:00:00.123+01:00',
      activityProgress: 'Submitted',
      gradingProgress: 'FullyGraded',
      scoreGiven: 45,
      scoreMaximum: 50,
      comment: 'Good work',
      scoringUserId: 'instructor',
      submission: { startedAt: '2025-01-31T10:00:00Z', submittedAt: '2025-01-31T11:59:00Z' },
    };
    assert.deepEqual(await postScore(h.client(), item.id, full), { status: 204 });
    await postScore(h.client(), item.id, graded('student-no-pii', 30, 1));
    await postScore(h.client(), item.id, { userId: 'student-only-email', timestamp: at(2), activityProgress: 'Started', gradingProgress: 'NotReady' });
    const lineItemId = new URL(item.id).pathname.split('/').at(-2) as string;
    const [stored] = h.emulator.scores(lineItemId).filter((s) => s.userId === 'student');
    const { extensions: _none, ...sent } = full;
    assert.deepEqual(stored, sent);

    const pages = await all(listResults(h.client(), item.id));
    assert.deepEqual(
      pages.map((p) => p.results.length),
      [2, 1],
    );
    const mine = (await all(listResults(h.client(), item.id, { userId: 'student' }))).flatMap((p) => p.results);
    assert.deepEqual(mine, [
      { id: mine[0]?.id, scoreOf: item.id, userId: 'student', resultScore: 18, resultMaximum: 20, comment: 'Good work', scoringUserId: 'instructor' },
    ]);
  });

  it('Moodle-like line item URLs (?type_id=1): scores and results go to …/lineitem/scores?type_id=1', async () => {
    const item = await createLineItem(h.services.client(moodleReg), moodle.endpoints.lineItems(COURSE), { label: 'Moodle quiz', scoreMaximum: 10 });
    assert.match(item.id, /\/lineitem\?type_id=1$/);
    await postScore(h.services.client(moodleReg), item.id, graded('student', 70, 3));
    const results = (await all(listResults(h.services.client(moodleReg), item.id))).flatMap((p) => p.results);
    assert.deepEqual(
      results.map((r) => [r.userId, r.resultScore]),
      [['student', 7]],
    );
    const logged = (await h.calls())
      .filter((c) => c.registrationId === moodleReg.id)
      .map((c) => `${c.method} ${new URL(c.url).pathname.split('/').slice(-2).join('/')}${new URL(c.url).search}`);
    assert.ok(logged.includes('POST lineitem/scores?type_id=1'), logged.join('\n'));
    assert.ok(logged.includes('GET lineitem/results?type_id=1'), logged.join('\n'));
  });

  it('a score older than the one applied is a `conflict` naming the platform error (emulator 409 stale_score)', async () => {
    const item = await createLineItem(h.client(), h.emulator.endpoints.lineItems(COURSE), { label: 'Stale', scoreMaximum: 100 });
    await postScore(h.client(), item.id, graded('student', 90, 30));
    await rejects(postScore(h.client(), item.id, graded('student', 10, 20)), 'conflict', (e) => {
      assert.equal(e.details.status, 409);
      assert.equal(e.details.platformError, 'stale_score');
    });
    await rejects(postScore(h.client(), item.id, graded('not-a-member', 10, 40)), 'rejected', (e) => {
      assert.equal(e.details.status, 400);
      assert.match(e.details.platformDescription ?? '', /not a member of the context/);
    });
  });

  it('checks a score before sending it, naming each problem by JSON pointer', async () => {
    const before = h.emulator.tokenRequests();
    const bad = {
      userId: '',
      timestamp: '2025-01-31T12:00:00',
      activityProgress: 'Done',
      gradingProgress: 'FullyGraded',
      scoreGiven: -1,
      comment: 5,
      submission: { submittedAt: 'yesterday' },
      scoregiven: 3,
    } as unknown as Score;
    await rejects(postScore(h.client(), `${h.emulator.endpoints.lineItems(COURSE)}/x/lineitem`, bad), 'score-invalid', (e) => {
      assert.deepEqual(
        e.details.problems?.map((p) => p.pointer),
        ['/userId', '/timestamp', '/activityProgress', '/scoreGiven', '/scoreMaximum', '/comment', '/submission/submittedAt', '/scoregiven'],
      );
    });
    await rejects(postScore(h.client(), 'https://lms.example/li', { ...graded('u', 1, 1), scoreMaximum: 0 }), 'score-invalid', (e) =>
      assert.deepEqual(e.details.problems, [{ pointer: '/scoreMaximum', message: 'scoreMaximum must be a finite number > 0' }]),
    );
    await rejects(postScore(h.client(), 'https://lms.example/li', { ...graded('u', 1, 1), scoreGiven: Number.NaN }), 'score-invalid');
    await rejects(
      createLineItem(h.client(), h.emulator.endpoints.lineItems(COURSE), { label: ' ', scoreMaximum: 0, startDateTime: '2025-13-01' }),
      'line-item-invalid',
      (e) =>
        assert.deepEqual(
          e.details.problems?.map((p) => p.pointer),
          ['/label', '/scoreMaximum', '/startDateTime'],
        ),
    );
    assert.equal(h.emulator.tokenRequests(), before, 'nothing was sent');
  });

  it('sends each operation with its media types and only the scope it needs', async () => {
    const reg = await h.register({ clientId: 'ags-headers', tokenUrl: scripted.tokenUrl, issuer: scripted.origin });
    const client = h.services.client(reg);
    const lineItem = { id: scripted.url('/li/1/lineitem?type_id=9'), label: 'L', scoreMaximum: 5 };
    scripted.answer = (req) => {
      if (req.method === 'DELETE' || req.path.includes('/scores')) return { status: 204 };
      if (req.path.includes('/results')) return json(200, [], { 'Content-Type': MEDIA_TYPE.resultContainer });
      if (req.path.startsWith('/li?') || req.path === '/li') {
        return req.method === 'GET'
          ? json(200, [lineItem], { 'Content-Type': MEDIA_TYPE.lineItemContainer })
          : json(201, lineItem, { 'Content-Type': MEDIA_TYPE.lineItem });
      }
      return json(200, lineItem, { 'Content-Type': MEDIA_TYPE.lineItem });
    };
    scripted.requests.length = 0;
    await all(listLineItems(client, scripted.url('/li'), { tag: 't' }));
    await createLineItem(client, scripted.url('/li'), { label: 'L', scoreMaximum: 5 });
    await getLineItem(client, lineItem.id);
    await updateLineItem(client, lineItem.id, { label: 'L', scoreMaximum: 5 });
    await deleteLineItem(client, lineItem.id);
    const canvas = 'https://canvas.instructure.com/lti/submission';
    await postScore(client, lineItem.id, { ...graded('u', 1, 1), extensions: { [canvas]: { new_submission: true, submission_type: 'none' } } });
    await all(listResults(client, lineItem.id, { userId: 'u' }));
    assert.deepEqual(
      scripted.serviceRequests().map((r) => [r.method, r.path, r.headers.accept, r.headers['content-type']]),
      [
        ['GET', '/li?tag=t', MEDIA_TYPE.lineItemContainer, undefined],
        ['POST', '/li', MEDIA_TYPE.lineItem, MEDIA_TYPE.lineItem],
        ['GET', '/li/1/lineitem?type_id=9', MEDIA_TYPE.lineItem, undefined],
        ['PUT', '/li/1/lineitem?type_id=9', MEDIA_TYPE.lineItem, MEDIA_TYPE.lineItem],
        ['DELETE', '/li/1/lineitem?type_id=9', '*/*', undefined],
        ['POST', '/li/1/lineitem/scores?type_id=9', '*/*', MEDIA_TYPE.score],
        ['GET', '/li/1/lineitem/results?type_id=9&user_id=u', MEDIA_TYPE.resultContainer, undefined],
      ],
    );
    assert.deepEqual(JSON.parse(scripted.serviceRequests()[3]?.body ?? ''), { id: lineItem.id, label: 'L', scoreMaximum: 5 });
    assert.deepEqual(
      JSON.parse(scripted.serviceRequests()[5]?.body ?? ''),
      {
        [canvas]: { new_submission: true, submission_type: 'none' },
        ...graded('u', 1, 1),
      },
      'extensions are top-level members named by URI',
    );
    assert.deepEqual(
      scripted.tokenRequests().map((r) => new URLSearchParams(r.body).get('scope')),
      [SCOPE.lineItemReadOnly, SCOPE.lineItem, SCOPE.score, SCOPE.resultReadOnly],
      'one token per scope set, each asking for one scope',
    );
  });

  it('refuses a line item answer without id or scoreMaximum, and reports bad items of a container by pointer', async () => {
    const reg = await h.register({ clientId: 'ags-broken', tokenUrl: scripted.tokenUrl, issuer: scripted.origin });
    scripted.answer = () => json(200, { label: 'no id' }, { 'Content-Type': MEDIA_TYPE.lineItem });
    await rejects(getLineItem(h.services.client(reg), scripted.url('/li/1')), 'response-invalid', (e) =>
      assert.match(e.message, /\/id id must be the line item URL; \/scoreMaximum/),
    );
    scripted.answer = () =>
      json(200, [{ id: scripted.url('/li/1'), label: 'A', scoreMaximum: 1 }, { id: 7 }, { id: scripted.url('/li/3'), label: 'C', scoreMaximum: 2, tag: 5 }], {
        'Content-Type': MEDIA_TYPE.lineItemContainer,
      });
    const [page] = await all(listLineItems(h.services.client(reg), scripted.url('/li')));
    assert.deepEqual(
      page?.lineItems.map((i) => i.label),
      ['A', 'C'],
    );
    assert.deepEqual(
      page?.problems.map((p) => p.pointer),
      ['/1/id', '/1/label', '/1/scoreMaximum', '/2/tag'],
    );
  });
});
