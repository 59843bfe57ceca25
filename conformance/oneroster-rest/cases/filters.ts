import type { RestVersion } from '../../../src/oneroster/rest/rest-tables.js';
import { check, failed, needs, type Outcome, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type Rec, recordsOf, rolesOf, type SuiteContext, text, WALK_LIMIT } from '../context.js';
import { statusInfoProblems } from './query-errors.js';

/** SDS checks every dateLastModified against this form (fact sheet §7.1, §9.2). */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface FilterSpec {
  filter: string;
  /** What every returned record must satisfy. */
  satisfies(r: Rec): boolean;
  /** Records the answer must hold (all of them, unless the predicate is looser than this, as for ~). */
  expected(all: Rec[]): Rec[];
}

/** A value to put between single quotes: the grammar has no escape, so values with a quote are passed over. */
const quotable = (v: string | undefined): v is string => v !== undefined && v !== '' && !v.includes("'");

/**
 * Runs a filter over a collection and checks the answer against the collection read in full: every
 * record returned satisfies the predicate, and every record that should match is there.
 */
async function judge(ctx: SuiteContext, path: string, build: (all: Rec[]) => FilterSpec): Promise<Outcome> {
  const all = await ctx.everything(path);
  const spec = build(all);
  const e = ctx.endpoint('GET', path);
  const ex = await ctx.get(e.service, path, { filter: spec.filter, limit: WALK_LIMIT });
  const got = recordsOf(ex, ctx.entity(e).name);
  const wrong = got.filter((r) => !spec.satisfies(r)).map((r) => String(r.sourcedId));
  check(wrong.length === 0, () => `filter=${spec.filter} returned records that do not satisfy it: ${summarise(wrong)}`);
  const returned = new Set(got.map((r) => r.sourcedId));
  const missing = spec
    .expected(all)
    .filter((r) => !returned.has(r.sourcedId))
    .map((r) => String(r.sourcedId));
  check(missing.length === 0, () => `filter=${spec.filter} left out matching records: ${summarise(missing)}`);
  return passed(`filter=${spec.filter}: ${got.length} record(s)`);
}

const users = (all: Rec[]) => needs(all.length > 0 ? all : undefined, 'the provider returned no users');
const field = (name: string) => (r: Rec) => text(r, name);

/** Start dates of the academic sessions, and a pivot in the middle of them. */
function pivotDate(all: Rec[]): string {
  const dates = [...new Set(all.map(field('startDate')).filter(quotable))].sort();
  needs(dates.length >= 2 || undefined, 'the academic sessions have fewer than two distinct start dates');
  return dates[Math.floor(dates.length / 2)] as string;
}

function orderingCase(id: string, op: '>' | '>=' | '<' | '<=', holds: (a: string, b: string) => boolean): SuiteCase {
  return {
    id,
    title: `filter startDate${op}'…' returns exactly the academic sessions that satisfy it`,
    reference: 'Filter predicates = != > >= < <= ~ (fact sheet §3)',
    run: (ctx) =>
      judge(ctx, '/academicSessions', (all) => {
        const pivot = pivotDate(all);
        const satisfies = (r: Rec) => quotable(text(r, 'startDate')) && holds(text(r, 'startDate') as string, pivot);
        return { filter: `startDate${op}'${pivot}'`, satisfies, expected: (a) => a.filter(satisfies) };
      }),
  };
}

export function filterCases(version: RestVersion): SuiteCase[] {
  const cases: SuiteCase[] = [
    {
      id: 'filter.equals',
      title: "filter givenName='…' returns exactly the users with that given name",
      reference: 'Filter predicate = (fact sheet §3)',
      run: (ctx) =>
        judge(ctx, '/users', (all) => {
          const g = needs(users(all).map(field('givenName')).find(quotable), 'no user has a quotable givenName');
          const satisfies = (r: Rec) => text(r, 'givenName') === g;
          return { filter: `givenName='${g}'`, satisfies, expected: (a) => a.filter(satisfies) };
        }),
    },
    {
      id: 'filter.not-equals',
      title: "filter familyName!='…' returns every user with another family name",
      reference: 'Filter predicate != (fact sheet §3)',
      run: (ctx) =>
        judge(ctx, '/users', (all) => {
          const f = needs(users(all).map(field('familyName')).find(quotable), 'no user has a quotable familyName');
          const satisfies = (r: Rec) => text(r, 'familyName') !== f;
          return { filter: `familyName!='${f}'`, satisfies, expected: (a) => a.filter(satisfies) };
        }),
    },
    orderingCase('filter.greater', '>', (a, b) => a > b),
    orderingCase('filter.greater-or-equal', '>=', (a, b) => a >= b),
    orderingCase('filter.less', '<', (a, b) => a < b),
    orderingCase('filter.less-or-equal', '<=', (a, b) => a <= b),
    {
      id: 'filter.contains',
      title: "filter familyName~'…' returns the users whose family name contains it",
      reference: 'Filter predicate ~ (contains; case-insensitive at Ed-Fi, so either case is accepted) (fact sheet §3)',
      run: (ctx) =>
        judge(ctx, '/users', (all) => {
          const f = needs(
            users(all)
              .map(field('familyName'))
              .find((v) => quotable(v) && v.length >= 3),
            'no user has a family name of 3 or more letters',
          );
          const part = f.slice(1, 3);
          const satisfies = (r: Rec) => (text(r, 'familyName') ?? '').toLowerCase().includes(part.toLowerCase());
          return { filter: `familyName~'${part}'`, satisfies, expected: (a) => a.filter((r) => (text(r, 'familyName') ?? '').includes(part)) };
        }),
    },
    {
      id: 'filter.and',
      title: 'Two clauses joined by AND both hold for every user returned',
      reference: 'Logical operator AND (fact sheet §3)',
      run: (ctx) =>
        judge(ctx, '/users', (all) => {
          const u = needs(
            users(all).find((r) => quotable(text(r, 'givenName')) && quotable(text(r, 'familyName'))),
            'no user has quotable names',
          );
          const [g, f] = [text(u, 'givenName'), text(u, 'familyName')];
          const satisfies = (r: Rec) => text(r, 'givenName') === g && text(r, 'familyName') === f;
          return { filter: `givenName='${g}' AND familyName='${f}'`, satisfies, expected: (a) => a.filter(satisfies) };
        }),
    },
    {
      id: 'filter.or',
      title: 'Two clauses joined by OR: every user returned satisfies one, and every such user is returned',
      reference: "Logical operator OR, as SDS sends it (username='…' OR email~'…') (fact sheet §3, §9.2)",
      run: (ctx) =>
        judge(ctx, '/users', (all) => {
          const names = [...new Set(users(all).map(field('givenName')).filter(quotable))];
          const [a, b] = needs(names.length >= 2 ? names : undefined, 'the users have fewer than two quotable given names');
          const satisfies = (r: Rec) => text(r, 'givenName') === a || text(r, 'givenName') === b;
          return { filter: `givenName='${a}' OR givenName='${b}'`, satisfies, expected: (x) => x.filter(satisfies) };
        }),
    },
    {
      id: 'filter.no-records',
      title: "filter=sourcedId='norecords' answers 200 with an empty list",
      reference: 'Microsoft SDS empty-result tests (fact sheet §9.2)',
      run: async (ctx) => {
        const problems: string[] = [];
        for (const path of ['/users', '/orgs', '/classes']) {
          const e = ctx.endpoint('GET', path);
          const ex = await ctx.get(e.service, path, { filter: "sourcedId='norecords'" });
          if (ex.status !== 200) {
            problems.push(describe(ex));
            continue;
          }
          const list = (ex.json as Rec | undefined)?.[ctx.entity(e).name];
          if (!Array.isArray(list) || list.length !== 0) problems.push(`GET ${ex.url}: not an empty "${ctx.entity(e).name}" array`);
          const count = ex.headers.get('x-total-count');
          if (count !== null && count !== '0') problems.push(`GET ${ex.url}: X-Total-Count ${count}`);
        }
        return problems.length === 0 ? passed() : failed(summarise(problems));
      },
    },
    {
      id: 'filter.delta',
      title: "dateLastModified>'…' on every collection returns only records modified after it, stamped YYYY-MM-DDTHH:mm:ss.SSSZ",
      reference: 'Microsoft SDS delta reads on every collection (fact sheet §7.1, §9.2)',
      run: async (ctx) => {
        const problems: string[] = [];
        let checked = 0;
        for (const e of ctx.endpoints().filter((x) => !x.path.includes('{'))) {
          const key = ctx.entity(e).name;
          const first = await ctx.get(e.service, e.path, { limit: 100 });
          if (first.status !== 200) continue; // endpoint.<operationId> reports it
          const stamps = recordsOf(first, key)
            .map((r) => Date.parse(String(r.dateLastModified)))
            .filter((t) => !Number.isNaN(t));
          if (stamps.length === 0) continue;
          for (const since of [new Date(Math.min(...stamps) - 1000).toISOString(), new Date(Math.max(...stamps)).toISOString()]) {
            const ex = await ctx.get(e.service, e.path, { filter: `dateLastModified>'${since}'`, limit: WALK_LIMIT });
            if (ex.status !== 200) {
              problems.push(describe(ex));
              continue;
            }
            checked++;
            for (const r of recordsOf(ex, key)) {
              const stamp = String(r.dateLastModified);
              if (!DATE_TIME.test(stamp)) problems.push(`${e.path} ${String(r.sourcedId)}: dateLastModified ${stamp} is not YYYY-MM-DDTHH:mm:ss.SSSZ`);
              else if (!(Date.parse(stamp) > Date.parse(since))) problems.push(`${e.path} ${String(r.sourcedId)}: ${stamp} is not after ${since}`);
            }
          }
        }
        needs(checked > 0 || undefined, 'no collection returned records with a dateLastModified');
        return problems.length === 0 ? passed(`${checked} delta reads`) : failed(summarise(problems));
      },
    },
    {
      id: 'filter.invalid-field',
      title: 'A filter on an unknown field answers 400 invalid_filter_field as an unwrapped imsx_StatusInfo',
      reference: 'OAS 400 response; envelope imsx_StatusInfoDType (fact sheet §3, §5)',
      run: async (ctx) => {
        const ex = await ctx.get('rostering', '/users', { filter: "edhubNoSuchField='x'" });
        return statusInfoProblems(ctx, ex, 400, ['invalid_filter_field']);
      },
    },
  ];
  if (version === '1.1') {
    cases.push({
      id: 'filter.delta-role',
      title: "dateLastModified>'…' AND role='student' returns only students modified after it",
      reference: 'Microsoft SDS 1.1 delta read of students (fact sheet §9.2)',
      run: async (ctx) => {
        const since = '2000-01-01T00:00:00.000Z';
        const ex = await ctx.get('rostering', '/users', { filter: `dateLastModified>'${since}' AND role='student'`, limit: WALK_LIMIT });
        const got = recordsOf(ex, 'users');
        needs(got.length > 0 || undefined, `GET ${ex.url} returned no students`);
        const wrong = got.filter((r) => !rolesOf(r).includes('student') || !(Date.parse(String(r.dateLastModified)) > Date.parse(since)));
        return wrong.length === 0 ? passed(`${got.length} students`) : failed(`not students or too old: ${summarise(wrong.map((r) => String(r.sourcedId)))}`);
      },
    });
  }
  return cases;
}
