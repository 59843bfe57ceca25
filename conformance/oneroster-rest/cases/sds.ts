import { failed, needs, type Outcome, passed, type SuiteCase, summarise } from '../case.js';
import { type Rec, refId, rolesOf, type SuiteContext, text } from '../context.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'];
const TERM_REF_TYPES = ['academicSession', 'term', 'gradingPeriod', 'semester', 'schoolYear'];
const GUARDIANS = ['guardian', 'parent', 'relative'];

/**
 * A check over every record of a collection (read in full): each record's problems, summarised.
 * "not run" when the collection is empty — there is nothing for SDS to import either.
 */
function eachRecord(id: string, title: string, path: string, problem: (r: Rec, ctx: SuiteContext) => string | undefined): SuiteCase {
  return {
    id,
    title,
    reference: 'Microsoft SDS OneRoster 1.1 Postman tests (fact sheet §9.2)',
    run: async (ctx): Promise<Outcome> => {
      const all = needs(await nonEmpty(ctx, path), `GET ${path} returned no records`);
      const problems = all.map((r) => problem(r, ctx)).filter((p): p is string => p !== undefined);
      return problems.length === 0 ? passed(`${all.length} records`) : failed(summarise(problems));
    },
  };
}

async function nonEmpty(ctx: SuiteContext, path: string): Promise<Rec[] | undefined> {
  const all = await ctx.everything(path);
  return all.length > 0 ? all : undefined;
}

const at = (r: Rec, message: string) => `${String(r.sourcedId)}: ${message}`;

export const sdsCases: SuiteCase[] = [
  eachRecord('sds.school-year', 'Every academic session has a 4-digit schoolYear', '/academicSessions', (r) =>
    /^\d{4}$/.test(text(r, 'schoolYear') ?? '') ? undefined : at(r, `schoolYear ${JSON.stringify(r.schoolYear)}`),
  ),
  eachRecord('sds.session-type', 'Every academic session type is gradingPeriod, semester, schoolYear or term', '/academicSessions', (r) =>
    SESSION_TYPES.includes(text(r, 'type') ?? '') ? undefined : at(r, `type ${JSON.stringify(r.type)}`),
  ),
  eachRecord('sds.session-dates', 'Every academic session has startDate and endDate as YYYY-MM-DD', '/academicSessions', (r) =>
    DATE.test(text(r, 'startDate') ?? '') && DATE.test(text(r, 'endDate') ?? '')
      ? undefined
      : at(r, `startDate ${String(r.startDate)}, endDate ${String(r.endDate)}`),
  ),
  eachRecord('sds.class-terms', 'Every class names at least one term, of an academic session type, and a school of type org', '/classes', (r) => {
    const terms = Array.isArray(r.terms) ? (r.terms as Rec[]) : [];
    if (terms.length === 0) return at(r, 'terms is empty');
    if (!TERM_REF_TYPES.includes(text(terms[0] as Rec, 'type') ?? '')) return at(r, `terms[0].type ${JSON.stringify((terms[0] as Rec).type)}`);
    const school = r.school as Rec | undefined;
    return school && text(school, 'type') === 'org' ? undefined : at(r, `school.type ${JSON.stringify(school?.type)}`);
  }),
  eachRecord('sds.enrollment-refs', 'Every enrollment refers to a class of type class and a user of type user', '/enrollments', (r) => {
    const [c, u] = [r.class as Rec | undefined, r.user as Rec | undefined];
    return c?.type === 'class' && u?.type === 'user' && refId(r, 'class') && refId(r, 'user')
      ? undefined
      : at(r, `class.type ${JSON.stringify(c?.type)}, user.type ${JSON.stringify(u?.type)}`);
  }),
  eachRecord('sds.user-identifier', 'Every user has a non-empty identifier', '/users', (r) => (text(r, 'identifier') ? undefined : at(r, 'no identifier'))),
  eachRecord('sds.user-orgs', 'Every user belongs to an org (1.1 orgs[], 1.2 roles[].org)', '/users', (r) => {
    const orgs = Array.isArray(r.orgs) ? (r.orgs as Rec[]) : Array.isArray(r.roles) ? (r.roles as Rec[]).map((x) => x.org as Rec) : [];
    return orgs.length > 0 && orgs.every((o) => typeof o?.sourcedId === 'string' && o.type === 'org') ? undefined : at(r, 'no org reference of type org');
  }),
  eachRecord('sds.username', 'No username contains @ (SDS appends the domain)', '/users', (r) =>
    (text(r, 'username') ?? '').includes('@') ? at(r, `username ${JSON.stringify(r.username)}`) : undefined,
  ),
  {
    id: 'sds.guardian-agents',
    title: "Guardians' and parents' agents are students, and students' agents are guardians, parents or relatives",
    reference: 'Microsoft SDS 1.1 tests; the OAS UserDType text on agents (fact sheet §9.2)',
    run: async (ctx) => {
      const all = await ctx.everything('/users');
      const role = new Map(all.map((u) => [u.sourcedId, rolesOf(u)]));
      const agentsOf = (u: Rec) => (Array.isArray(u.agents) ? (u.agents as Rec[]).map((a) => a.sourcedId) : []);
      const guardians = all.filter((u) => rolesOf(u).some((r) => GUARDIANS.includes(r)));
      needs(guardians.length > 0 || undefined, 'the provider has no guardian, parent or relative users');
      const problems: string[] = [];
      for (const g of guardians) {
        const agents = agentsOf(g);
        if (agents.length === 0) problems.push(at(g, 'a guardian without agents'));
        for (const a of agents) if (!role.get(a)?.includes('student')) problems.push(at(g, `agent ${String(a)} is not a student`));
      }
      for (const s of all.filter((u) => rolesOf(u).includes('student'))) {
        for (const a of agentsOf(s))
          if (!role.get(a)?.some((r) => GUARDIANS.includes(r))) problems.push(at(s, `agent ${String(a)} is not a guardian, parent or relative`));
      }
      return problems.length === 0 ? passed(`${guardians.length} guardians`) : failed(summarise(problems));
    },
  },
];

/** Run last: judges every exchange the suite made. */
export const responseTimeCase: SuiteCase = {
  id: 'sds.response-time',
  title: 'Every response arrived within 30 s',
  reference: 'Microsoft SDS response-time check (fact sheet §9.2)',
  run: async (ctx) => {
    const slow = ctx.log.filter((x) => x.ms >= 30_000).map((x) => `${x.method} ${x.url} ${x.ms} ms`);
    const slowest = Math.max(0, ...ctx.log.map((x) => x.ms));
    return slow.length === 0 ? passed(`${ctx.log.length} responses, slowest ${slowest} ms`) : failed(summarise(slow));
  },
};
