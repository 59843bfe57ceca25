import { randomBytes } from 'node:crypto';
import { CaseEnd, check, failed, needs, notRun, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type Exchange, type Rec, recordsOf, refId, type SuiteContext } from '../context.js';

/**
 * Google Classroom's gradebook writes (fact sheet §9.1), in order, on records the suite creates under
 * ids of its own (`edhub-conformance-<random>-…`) and deletes again: google.cleanup, and the runner
 * once more whatever happens. They run only with `writes`, because they change the provider's data.
 * GUIDRefs carry sourcedId alone, as Google's test sends them.
 */
interface WritePlan {
  lineItemId: string;
  resultIds: [string, string];
  classId: string;
  lineItem: Rec;
  students: [string, string];
  /** What is still to delete: [path, id]. */
  created: Array<{ path: string; id: string }>;
}

const PLAN = 'google.writes.plan';
const LONG_TITLE = `${'A long line item title that must come back exactly as it was sent — '.repeat(14)}数学 ✓`;

async function plan(ctx: SuiteContext): Promise<WritePlan> {
  if (!ctx.options.writes) throw new CaseEnd(notRun("writes are off (--writes): these cases change the provider's gradebook"));
  let p = ctx.state.get(PLAN) as Promise<WritePlan> | undefined;
  if (!p) {
    p = makePlan(ctx);
    ctx.state.set(PLAN, p);
  }
  return p;
}

async function makePlan(ctx: SuiteContext): Promise<WritePlan> {
  const template = (await ctx.firstPage('/lineItems')).find((l) => refId(l, 'class') && refId(l, 'category'));
  const classId = template
    ? (refId(template, 'class') as string)
    : needs((await ctx.firstPage('/classes'))[0]?.sourcedId as string | undefined, 'no class to put a line item in');
  const categoryId = template ? refId(template, 'category') : ((await ctx.firstPage('/categories'))[0]?.sourcedId as string | undefined);
  const students = recordsOf(await ctx.get('rostering', `/classes/${encodeURIComponent(classId)}/students`), 'users').map((s) => String(s.sourcedId));
  needs(students.length > 0 || undefined, `class ${classId} has no students to grade`);
  const session = template
    ? (refId(template, 'academicSession') ?? refId(template, 'gradingPeriod'))
    : ((await ctx.firstPage('/gradingPeriods'))[0]?.sourcedId as string | undefined);
  const school = template ? refId(template, 'school') : undefined;
  const stem = `edhub-conformance-${randomBytes(4).toString('hex')}`;
  const ref = (sourcedId: string) => ({ sourcedId });
  const lineItem: Rec = {
    title: 'EdHub conformance: extra credit',
    description: 'Created by edhub conformance oneroster-rest; deleted when the suite ends.',
    assignDate: '2026-01-05T00:00:00.000Z',
    dueDate: '2026-01-12T00:00:00.000Z',
    class: ref(classId),
    category: ref(needs(categoryId, 'no category to put a line item in')),
    resultValueMin: 0,
    resultValueMax: 100,
  };
  if (ctx.version === '1.2') {
    if (school) lineItem.school = ref(school);
    if (session) lineItem.academicSession = ref(session);
  } else {
    lineItem.gradingPeriod = ref(needs(session, 'no grading period for a 1.1 line item (required there)'));
  }
  return {
    lineItemId: `${stem}-li`,
    resultIds: [`${stem}-r1`, `${stem}-r2`],
    classId,
    lineItem,
    students: [students[0] as string, (students[1] ?? students[0]) as string],
    created: [],
  };
}

async function put(ctx: SuiteContext, p: WritePlan, path: string, id: string, key: string, body: Rec): Promise<Exchange> {
  const ex = await ctx.request('PUT', 'gradebook', `${path}/${encodeURIComponent(id)}`, { body: { [key]: body } });
  if (ex.status >= 200 && ex.status < 300 && !p.created.some((c) => c.id === id)) p.created.push({ path, id });
  return ex;
}

/**
 * PUTs `{ [key]: body }` to `{path}/{id}`, requires 201 (a new record) or 200/201 (an edit), then GETs it
 * back: the PUT's status and what the provider now holds.
 */
async function putThenRead(
  ctx: SuiteContext,
  p: WritePlan,
  path: string,
  id: string,
  key: string,
  body: Rec,
  expect: 'created' | 'written',
): Promise<{ status: number; back: Rec }> {
  const ex = await put(ctx, p, path, id, key, body);
  if (expect === 'created') check(ex.status === 201, () => `expected 201: ${describe(ex)}`);
  else check(ex.status === 200 || ex.status === 201, () => `expected 200 or 201: ${describe(ex)}`);
  const read = await ctx.request('GET', 'gradebook', `${path}/${encodeURIComponent(id)}`);
  check(read.status === 200, () => describe(read));
  return { status: ex.status, back: ((read.json as Rec | undefined)?.[key] ?? {}) as Rec };
}

function lineItemMade(p: WritePlan): void {
  if (!p.created.some((c) => c.id === p.lineItemId)) throw new CaseEnd(notRun('google.line-item-put did not create the line item'));
}

function result(ctx: SuiteContext, p: WritePlan, student: string, fields: Rec): Rec {
  return {
    lineItem: { sourcedId: p.lineItemId },
    student: { sourcedId: student },
    scoreDate: '2026-01-13',
    ...(ctx.version === '1.1' ? { score: 0 } : {}),
    ...fields,
  };
}

/** Deletes what the write cases created and is still there; returns what could not be deleted. */
export async function cleanUpWrites(ctx: SuiteContext): Promise<string[]> {
  const p = (await (ctx.state.get(PLAN) as Promise<WritePlan> | undefined)?.catch(() => undefined)) ?? undefined;
  if (!p) return [];
  const problems: string[] = [];
  // Results before their line item.
  for (const c of [...p.created].sort((a, b) => Number(a.path === '/lineItems') - Number(b.path === '/lineItems'))) {
    const ex = await ctx.request('DELETE', 'gradebook', `${c.path}/${encodeURIComponent(c.id)}`);
    if ((ex.status >= 200 && ex.status < 300) || ex.status === 404) p.created.splice(p.created.indexOf(c), 1);
    else problems.push(describe(ex));
  }
  return problems;
}

export const googleWriteCases: SuiteCase[] = [
  {
    id: 'google.line-item-put',
    title: 'PUT /lineItems/{new id} creates the line item: 201, then readable',
    reference: 'Google Classroom SIS sync test; OAS putLineItem 201 (fact sheet §2.2, §9.1)',
    run: async (ctx) => {
      const p = await plan(ctx);
      const { back } = await putThenRead(ctx, p, '/lineItems', p.lineItemId, 'lineItem', p.lineItem, 'created');
      check(back.title === p.lineItem.title, `read back title ${JSON.stringify(back.title)}`);
      return passed(p.lineItemId);
    },
  },
  {
    id: 'google.line-item-edit',
    title: 'A second PUT of the same line item (an edit) answers 200 or 201 and takes effect',
    reference: 'Google Classroom SIS sync test (fact sheet §2.2, §9.1)',
    run: async (ctx) => {
      const p = await plan(ctx);
      lineItemMade(p);
      const title = 'EdHub conformance: extra credit (edited)';
      const { status, back } = await putThenRead(ctx, p, '/lineItems', p.lineItemId, 'lineItem', { ...p.lineItem, title }, 'written');
      check(back.title === title, `read back title ${JSON.stringify(back.title)}`);
      return passed(`${status}`);
    },
  },
  {
    id: 'google.line-item-long-title',
    title: `A ${LONG_TITLE.length}-character title round-trips unchanged`,
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx) => {
      const p = await plan(ctx);
      lineItemMade(p);
      const { back } = await putThenRead(ctx, p, '/lineItems', p.lineItemId, 'lineItem', { ...p.lineItem, title: LONG_TITLE }, 'written');
      check(back.title === LONG_TITLE, `read back ${String(back.title).length} characters, not the ${LONG_TITLE.length} sent`);
      return passed();
    },
  },
  {
    id: 'google.result-extra-credit',
    title: 'A result scoring 300 against a maximum of 100 (extra credit) is accepted and kept',
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx) => {
      const p = await plan(ctx);
      lineItemMade(p);
      const { back } = await putThenRead(
        ctx,
        p,
        '/results',
        p.resultIds[0],
        'result',
        result(ctx, p, p.students[0], { scoreStatus: 'fully graded', score: 300 }),
        'written',
      );
      check(back.score === 300, `read back score ${JSON.stringify(back.score)}`);
      return passed();
    },
  },
  {
    id: 'google.result-exempt',
    title: 'A result with scoreStatus exempt is accepted and kept',
    reference: 'Google Classroom SIS sync test (fact sheet §9.1)',
    run: async (ctx) => {
      const p = await plan(ctx);
      lineItemMade(p);
      const { back } = await putThenRead(ctx, p, '/results', p.resultIds[1], 'result', result(ctx, p, p.students[1], { scoreStatus: 'exempt' }), 'written');
      check(back.scoreStatus === 'exempt', `read back scoreStatus ${JSON.stringify(back.scoreStatus)}`);
      return passed();
    },
  },
  {
    id: 'google.result-delete',
    title: "DELETE of a result answers 200 or 204, and it disappears from its class's line item results",
    reference: 'Google Classroom SIS sync test: a deleted result must vanish from reads (fact sheet §9.1, §10.5)',
    run: async (ctx) => {
      const p = await plan(ctx);
      const id = p.resultIds[0];
      if (!p.created.some((c) => c.id === id)) return notRun('google.result-extra-credit did not create the result to delete');
      const list = `/classes/${encodeURIComponent(p.classId)}/lineItems/${encodeURIComponent(p.lineItemId)}/results`;
      const before = recordsOf(await ctx.request('GET', 'gradebook', list), 'results').map((r) => r.sourcedId);
      check(before.includes(id), `GET ${list} does not list result ${id} before the delete`);
      const ex = await ctx.request('DELETE', 'gradebook', `/results/${encodeURIComponent(id)}`);
      check(ex.status === 200 || ex.status === 204, () => `expected 200 or 204: ${describe(ex)}`);
      p.created.splice(
        p.created.findIndex((c) => c.id === id),
        1,
      );
      const after = recordsOf(await ctx.request('GET', 'gradebook', list), 'results').map((r) => r.sourcedId);
      check(!after.includes(id), `GET ${list} still lists result ${id} after the delete`);
      return passed(`${ex.status}`);
    },
  },
  {
    id: 'google.cleanup',
    title: 'Everything the write cases created is deleted again',
    reference: 'Suite rule: writes clean up after themselves',
    run: async (ctx) => {
      await plan(ctx);
      const problems = await cleanUpWrites(ctx);
      return problems.length === 0 ? passed() : failed(summarise(problems));
    },
  },
];
