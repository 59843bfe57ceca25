import type { EndpointDef } from '../../src/oneroster/rest/rest-tables.js';
import { CaseEnd, needs, notRun } from './case.js';
import { type Rec, refId, type SuiteContext } from './context.js';

/**
 * Real ids for the path parameters of a route, taken from what the provider's collections returned,
 * chosen so nested routes have something to show (a class with students, a line item with results).
 * Ends the case as "not run" when the provider returned nothing to take an id from.
 */
export async function paramsFor(ctx: SuiteContext, e: EndpointDef): Promise<Record<string, string>> {
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  if (names.length === 0) return {};
  if (names.includes('sourcedId')) {
    const collection = e.path.replace(/\/\{sourcedId\}$/, '');
    const first = (await page(ctx, collection))[0];
    return { sourcedId: needs(first && (first.sourcedId as string), `GET ${collection} returned no records to take a sourcedId from`) };
  }
  if (names.includes('lineItemSourcedId')) {
    const li = await firstWith(ctx, '/lineItems', 'class', 'line items');
    return { classSourcedId: refId(li, 'class') as string, lineItemSourcedId: li.sourcedId as string };
  }
  if (names.includes('studentSourcedId') && names.includes('classSourcedId')) {
    const result = await firstWith(ctx, '/results', 'student', 'results');
    return { classSourcedId: await classOfResult(ctx, result), studentSourcedId: refId(result, 'student') as string };
  }
  if (names.includes('schoolSourcedId') && names.includes('classSourcedId')) {
    const enrollment = await studentEnrollment(ctx);
    return { schoolSourcedId: refId(enrollment, 'school') as string, classSourcedId: refId(enrollment, 'class') as string };
  }
  const out: Record<string, string> = {};
  for (const name of names) out[name] = await oneParam(ctx, e, name);
  return out;
}

async function oneParam(ctx: SuiteContext, e: EndpointDef, name: string): Promise<string> {
  switch (name) {
    case 'classSourcedId':
      if (e.service === 'gradebook') return refId(await firstWith(ctx, '/lineItems', 'class', 'line items'), 'class') as string;
      return refId(await studentEnrollment(ctx), 'class') as string;
    case 'schoolSourcedId':
      return needs((await page(ctx, '/schools'))[0]?.sourcedId as string | undefined, 'GET /schools returned no school');
    case 'studentSourcedId':
    case 'userSourcedId':
      return refId(await studentEnrollment(ctx), 'user') as string;
    case 'teacherSourcedId':
      return refId(await enrollmentAs(ctx, 'teacher'), 'user') as string;
    case 'courseSourcedId':
      return refId(await firstWith(ctx, '/classes', 'course', 'classes'), 'course') as string;
    case 'termSourcedId': {
      const terms = await page(ctx, '/terms');
      const termIds = new Set(terms.map((t) => t.sourcedId));
      if (e.path.endsWith('/gradingPeriods')) {
        const period = (await page(ctx, '/gradingPeriods')).find((p) => termIds.has(refId(p, 'parent')));
        if (period) return refId(period, 'parent') as string;
      }
      return needs(terms[0]?.sourcedId as string | undefined, 'GET /terms returned no term (academic sessions of type term)');
    }
    default:
      return needs<string>(undefined, `the suite has no way to pick a ${name}`);
  }
}

/**
 * The first page of a collection; when the collection itself fails, the route that needs an id from it
 * is "not run" (endpoint.<operationId> of the collection already reports the failure).
 */
async function page(ctx: SuiteContext, path: string) {
  try {
    return await ctx.firstPage(path);
  } catch (err) {
    if (err instanceof CaseEnd && err.outcome.status === 'failed')
      throw new CaseEnd(notRun(`GET ${path} failed, so there is no id to take from it: ${err.outcome.reason}`));
    throw err;
  }
}

async function firstWith(ctx: SuiteContext, path: string, ref: string, what: string): Promise<Rec> {
  const found = (await page(ctx, path)).find((r) => refId(r, ref) !== undefined);
  return needs(found, `GET ${path} returned no ${what} to take ids from`);
}

function studentEnrollment(ctx: SuiteContext): Promise<Rec> {
  return enrollmentAs(ctx, 'student');
}

async function enrollmentAs(ctx: SuiteContext, role: string): Promise<Rec> {
  const found = (await page(ctx, '/enrollments')).find((e) => e.role === role && refId(e, 'class') && refId(e, 'user') && refId(e, 'school'));
  return needs(found, `the first page of GET /enrollments has no ${role} enrollment to take ids from`);
}

/** 1.2 results name their class; 1.1 ones only their line item, whose class it is. */
async function classOfResult(ctx: SuiteContext, result: Rec): Promise<string> {
  const own = refId(result, 'class');
  if (own) return own;
  const lineItemId = needs(refId(result, 'lineItem'), 'the first result names no line item');
  const li = (await page(ctx, '/lineItems')).find((l) => l.sourcedId === lineItemId);
  if (li && refId(li, 'class')) return refId(li, 'class') as string;
  const e = ctx.endpoint('GET', '/lineItems/{sourcedId}');
  const ex = await ctx.get(e.service, `/lineItems/${encodeURIComponent(lineItemId)}`);
  return needs(refId(((ex.json as Rec | undefined)?.lineItem ?? {}) as Rec, 'class'), `line item ${lineItemId} names no class`);
}
