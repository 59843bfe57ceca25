import type { Service } from '../../../src/oneroster/rest/rest-tables.js';
import { check, failed, needs, type Outcome, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type Exchange, type Rec, recordsOf, type SuiteContext, statusInfo, text, WALK_LIMIT } from '../context.js';

/**
 * An error answer as the OAS declares it (fact sheet §5): the expected status, one of the expected
 * codeMinor values, and a body that is the unwrapped imsx_StatusInfo object — the two wrapped shapes
 * seen in the wild are read by lenient consumers but are not what a provider should send.
 */
export function statusInfoProblems(ctx: SuiteContext, ex: Exchange, status: number, codeMinors: string[], service: Service = 'rostering'): Outcome {
  if (ex.status !== status) return failed(`expected ${status}: ${describe(ex)}`);
  const info = statusInfo(ex);
  if (!info?.codeMinor || !codeMinors.includes(info.codeMinor)) {
    return failed(`${ex.method} ${ex.url}: codeMinor ${info?.codeMinor ?? '(none)'}, expected ${codeMinors.join(' or ')}`);
  }
  const wrapper = ['imsx_StatusInfo', 'imsx_statusInfo'].find((k) => typeof (ex.json as Rec | undefined)?.[k] === 'object');
  if (wrapper) return failed(`${ex.method} ${ex.url}: the body wraps the status in "${wrapper}"; the OAS declares imsx_StatusInfoDType unwrapped`);
  const errors = ctx.validator(service).validate('imsx_StatusInfoDType', ex.json);
  if (errors.length > 0) {
    return failed(`${ex.method} ${ex.url}: the body is not an unwrapped imsx_StatusInfo: ${summarise(errors.map((v) => `${v.pointer} [${v.keyword}]`))}`);
  }
  return passed(`${status} ${info.codeMinor}`);
}

/** Unicode code-point order (the OAS asks sorts to follow Unicode), not UTF-16 code-unit order. */
export function codePointCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function sortCase(orderBy: 'asc' | 'desc'): SuiteCase {
  return {
    id: `sort.${orderBy === 'asc' ? 'ascending' : 'descending'}`,
    title: `sort=familyName&orderBy=${orderBy} returns every user in ${orderBy === 'asc' ? 'ascending' : 'descending'} Unicode order`,
    reference: 'Query parameters sort and orderBy; Unicode ordering (fact sheet §3)',
    run: async (ctx) => {
      const all = await ctx.everything('/users');
      const ex = await ctx.get('rostering', '/users', { sort: 'familyName', orderBy, limit: WALK_LIMIT });
      const names = recordsOf(ex, 'users').map((r) => text(r, 'familyName') ?? '');
      needs(names.length >= 2 || undefined, 'the provider has fewer than 2 users');
      check(names.length === all.length, `returned ${names.length} users, the unsorted read ${all.length}`);
      const sign = orderBy === 'asc' ? 1 : -1;
      const at = names.findIndex((n, i) => i > 0 && sign * codePointCompare(names[i - 1] as string, n) > 0);
      check(at < 0, () => `${JSON.stringify(names[at - 1])} comes before ${JSON.stringify(names[at])} (position ${at})`);
      return passed(`${names.length} users`);
    },
  };
}

/** sort and fields, and the 400s for unknown names in filter, sort and fields (fact sheet §3). */
export const queryCases: SuiteCase[] = [
  sortCase('asc'),
  sortCase('desc'),
  {
    id: 'sort.invalid-field',
    title: 'sort on an unknown field answers 400 invalid_sort_field',
    reference: 'invalid_sort_field (Resources OAS; fact sheet §3, §5.2)',
    run: async (ctx) => statusInfoProblems(ctx, await ctx.get('rostering', '/users', { sort: 'edhubNoSuchField' }), 400, ['invalid_sort_field']),
  },
  {
    id: 'fields.selection',
    title: 'fields=sourcedId,givenName returns those fields only, on collections and single objects',
    reference: 'Query parameter fields (fact sheet §3)',
    run: async (ctx) => {
      const wanted = new Set(['sourcedId', 'givenName']);
      const list = recordsOf(await ctx.get('rostering', '/users', { fields: 'sourcedId,givenName', limit: 5 }), 'users');
      const first = needs(list[0], 'the provider has no users');
      const single = await ctx.get('rostering', `/users/${encodeURIComponent(String(first.sourcedId))}`, { fields: 'sourcedId,givenName' });
      check(single.status === 200, () => describe(single));
      const records = [...list, ((single.json as Rec | undefined)?.user ?? {}) as Rec];
      const extra = records.flatMap((r) =>
        Object.keys(r)
          .filter((k) => !wanted.has(k))
          .map((k) => `${String(r.sourcedId)}.${k}`),
      );
      check(extra.length === 0, () => `fields not asked for: ${summarise(extra)}`);
      const without = records.filter((r) => r.sourcedId === undefined).length;
      check(without === 0, `${without} record(s) without sourcedId`);
      return passed();
    },
  },
  {
    id: 'fields.invalid-field',
    title: 'fields naming an unknown field answers 400 invalid_selection_field',
    reference: 'OAS 400 response text: invalid_selection_field (fact sheet §3, §5.2)',
    run: async (ctx) =>
      statusInfoProblems(ctx, await ctx.get('rostering', '/users', { fields: 'sourcedId,edhubNoSuchField' }), 400, ['invalid_selection_field']),
  },
];
