import { parseLinkHeader } from '../../../src/oneroster/client/link-header.js';
import { check, needs, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type Exchange, type Query, recordsOf, type SuiteContext, WALK_LIMIT } from '../context.js';

const ids = (records: Record<string, unknown>[]) => records.map((r) => String(r.sourcedId));

/** A page of a collection path at (limit, offset), plus the records under its key. */
async function page(ctx: SuiteContext, path: string, query: Query): Promise<{ ex: Exchange; ids: string[] }> {
  const e = ctx.endpoint('GET', path);
  const ex = await ctx.get(e.service, path, query);
  return { ex, ids: ids(recordsOf(ex, ctx.entity(e).name)) };
}

/** Paging (fact sheet §3–§4): limit/offset, stable order, Link, and the large pages SDS and Google ask for. */
export const pagingCases: SuiteCase[] = [
  {
    id: 'paging.offset',
    title: 'offset=2&limit=1 returns one record, different from the first page',
    reference: 'Microsoft SDS paging test (fact sheet §9.2)',
    run: async (ctx) => {
      const first = await page(ctx, '/users', { offset: 0, limit: 1 });
      const third = await page(ctx, '/users', { offset: 2, limit: 1 });
      needs((await ctx.everything('/users')).length >= 3 || undefined, 'the provider has fewer than 3 users');
      check(first.ids.length === 1 && third.ids.length === 1, `limit=1 returned ${first.ids.length} and ${third.ids.length} records`);
      check(first.ids[0] !== third.ids[0], `offset=0 and offset=2 both returned ${first.ids[0]}`);
      return passed();
    },
  },
  {
    id: 'paging.walk',
    title: 'Walking /enrollments page by page neither skips nor repeats a record',
    reference: 'Stable paging with a deterministic order (fact sheet §3, §10.12)',
    run: async (ctx) => {
      const all = ids(await ctx.everything('/enrollments'));
      needs(all.length >= 2 || undefined, 'the provider has fewer than 2 enrollments');
      const size = Math.max(1, Math.ceil(all.length / 6));
      const seen: string[] = [];
      for (let offset = 0; offset < all.length + size; offset += size) {
        const p = await page(ctx, '/enrollments', { limit: size, offset });
        seen.push(...p.ids);
        if (p.ids.length < size) break;
      }
      const repeated = seen.filter((id, i) => seen.indexOf(id) !== i);
      const walked = new Set(seen);
      const missing = all.filter((id) => !walked.has(id));
      check(repeated.length === 0, () => `pages of ${size} repeated ${summarise(repeated)}`);
      check(missing.length === 0, () => `pages of ${size} skipped ${summarise(missing)}`);
      check(seen.length === all.length, `pages of ${size} returned ${seen.length} records, limit=${WALK_LIMIT} returned ${all.length}`);
      return passed(`${all.length} enrollments in pages of ${size}`);
    },
  },
  {
    id: 'paging.link',
    title: 'Link carries first, prev, next and last with the right offsets, and next leads to the next page',
    reference: 'Response Link header (fact sheet §4; RFC 8288)',
    run: async (ctx) => {
      const total = (await ctx.everything('/users')).length;
      needs(total >= 3 || undefined, 'the provider has fewer than 3 users');
      const limit = Math.ceil(total / 3);
      const last = Math.floor((total - 1) / limit) * limit;
      const problems: string[] = [];
      for (const offset of [0, limit]) {
        const { ex } = await page(ctx, '/users', { limit, offset });
        const links = parseLinkHeader(ex.headers.get('link'));
        if (!links) {
          problems.push(`GET ${ex.url} has no Link header`);
          continue;
        }
        const expected: Record<string, number | undefined> = {
          first: 0,
          last,
          next: offset + limit < total ? offset + limit : undefined,
          prev: offset > 0 ? Math.max(0, offset - limit) : undefined,
        };
        for (const [rel, want] of Object.entries(expected)) {
          const target = links.get(rel);
          if (want === undefined) {
            if (target !== undefined) problems.push(`offset=${offset}: rel="${rel}" should be absent`);
            continue;
          }
          if (target === undefined) {
            problems.push(`offset=${offset}: no rel="${rel}"`);
            continue;
          }
          const u = new URL(target, ex.url);
          const got = { offset: Number(u.searchParams.get('offset') ?? 0), limit: Number(u.searchParams.get('limit') ?? Number.NaN) };
          if (got.offset !== want || got.limit !== limit)
            problems.push(`offset=${offset}: rel="${rel}" is offset=${got.offset}&limit=${got.limit}, not offset=${want}&limit=${limit}`);
          if (u.pathname !== new URL(ex.url).pathname) problems.push(`offset=${offset}: rel="${rel}" points at ${u.pathname}`);
        }
      }
      if (problems.length === 0) {
        const first = await page(ctx, '/users', { limit, offset: 0 });
        const next = new URL(parseLinkHeader(first.ex.headers.get('link'))?.get('next') ?? '', first.ex.url);
        const followed = await page(ctx, '/users', Object.fromEntries(next.searchParams));
        const second = await page(ctx, '/users', { limit, offset: limit });
        if (followed.ids.join() !== second.ids.join())
          problems.push(`following rel="next" returned ${summarise(followed.ids)}, not the page at offset=${limit}`);
      }
      return problems.length === 0 ? passed(`${total} users, limit=${limit}`) : { status: 'failed', reason: summarise(problems) };
    },
  },
  {
    id: 'paging.limit-10000',
    title: 'limit=10000 is served in one page, in under 30 s',
    reference: 'Google and SDS read with limit=10000; SDS allows 30 s per response (fact sheet §3, §9)',
    run: async (ctx) => {
      const e = ctx.endpoint('GET', '/enrollments');
      const ex = await ctx.get(e.service, '/enrollments', { limit: WALK_LIMIT, offset: 0 });
      const records = recordsOf(ex, 'enrollments');
      check(ex.ms < 30_000, `GET ${ex.url} took ${ex.ms} ms`);
      const total = Number(ex.headers.get('x-total-count') ?? Number.NaN);
      if (Number.isInteger(total)) {
        check(records.length === Math.min(total, WALK_LIMIT), `returned ${records.length} of X-Total-Count ${total} records`);
      } else {
        // No count to compare with: a provider that capped the page has more at offset=records.length.
        const next = await ctx.get(e.service, '/enrollments', { limit: WALK_LIMIT, offset: records.length });
        check(next.status === 200, () => describe(next));
        const more = recordsOf(next, 'enrollments').length;
        check(records.length === WALK_LIMIT || more === 0, `returned ${records.length} records, and offset=${records.length} returned ${more} more`);
      }
      return passed(`${records.length} enrollments in ${ex.ms} ms`);
    },
  },
];
