import { failed, needs, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type SuiteContext } from '../context.js';
import { paramsFor } from '../params.js';
import { fill } from './endpoints.js';
import { statusInfoProblems } from './query-errors.js';

/** Authentication before anything else, and scopes (fact sheet §5.2, §6). */
export const authCases: SuiteCase[] = [
  {
    id: 'auth.missing-token',
    title: 'A request without credentials answers 401 unauthorisedrequest, before the query is looked at',
    reference: 'OAS 401 unauthorisedrequest (fact sheet §5.2, §6); the query carries a bad filter, so a 400 means it was read first',
    run: async (ctx) =>
      statusInfoProblems(ctx, await ctx.request('GET', 'rostering', '/users', { as: 'none', query: { filter: 'nonsense' } }), 401, ['unauthorisedrequest']),
  },
  {
    id: 'auth.invalid-credential',
    title: 'A bogus credential answers 401 unauthorisedrequest',
    reference: 'OAS 401 unauthorisedrequest (fact sheet §5.2); OAuth 2: an unknown bearer token, OAuth 1.0a: a signature made with the wrong secret',
    run: async (ctx) => statusInfoProblems(ctx, await ctx.request('GET', 'rostering', '/users', { as: 'wrong' }), 401, ['unauthorisedrequest']),
  },
  {
    id: 'auth.insufficient-scope',
    title: 'A credential with roster-core.readonly only gets 403 forbidden on nested, demographics and gradebook reads, 200 on /users',
    reference: 'Scopes per operation; OAS 403 forbidden (fact sheet §6.1–6.2)',
    run: async (ctx: SuiteContext) => {
      needs(ctx.hasLimited || undefined, 'no limited credential was given (--limited-client-id/--limited-client-secret)');
      const ok = await ctx.request('GET', 'rostering', '/users', { as: 'limited', query: { limit: 1 } });
      if (ok.status !== 200) return failed(`the limited credential cannot read /users: ${describe(ok)}`);
      const nested = ctx.endpoint('GET', '/classes/{classSourcedId}/students');
      const refused = [
        { service: nested.service, path: fill(nested.path, await paramsFor(ctx, nested)) },
        { service: ctx.endpoint('GET', '/demographics').service, path: '/demographics' },
        { service: ctx.endpoint('GET', '/lineItems').service, path: '/lineItems' },
      ];
      const problems: string[] = [];
      for (const r of refused) {
        const ex = await ctx.request('GET', r.service, r.path, { as: 'limited' });
        const outcome = statusInfoProblems(ctx, ex, 403, ['forbidden'], r.service);
        if (outcome.status !== 'passed') problems.push(outcome.reason);
      }
      return problems.length === 0 ? passed() : failed(summarise(problems));
    },
  },
];
