import { failed, needs, passed, type SuiteCase, summarise } from '../case.js';
import { describe } from '../context.js';

/**
 * Response headers (fact sheet §4). The first two judge every exchange the suite made, so they run
 * after the other areas.
 */
export const headerCases: SuiteCase[] = [
  {
    id: 'headers.content-type',
    title: 'Every response with a body is Content-Type application/json',
    reference: 'Response Content-Type; SDS checks it on every response (fact sheet §4, §9.2)',
    run: async (ctx) => {
      const withBody = ctx.log.filter((x) => x.text !== '');
      const wrong = withBody
        .filter((x) => !/^application\/json\b/i.test(x.headers.get('content-type') ?? ''))
        .map((x) => `${x.method} ${x.url}: ${x.headers.get('content-type') ?? 'none'}`);
      return wrong.length === 0 ? passed(`${withBody.length} responses`) : failed(`${wrong.length} response(s): ${summarise(wrong)}`);
    },
  },
  {
    id: 'headers.x-total-count',
    title: 'Every successful GET carries X-Total-Count, single-object reads included',
    reference: 'OAS collection responses declare X-Total-Count; SDS also requires it on single objects (fact sheet §4)',
    run: async (ctx) => {
      const ok = ctx.log.filter((x) => x.method === 'GET' && x.status === 200 && x.credential === 'main');
      needs(ok.length > 0 || undefined, 'no GET succeeded');
      const wrong = ok
        .filter((x) => !/^\d+$/.test(x.headers.get('x-total-count') ?? ''))
        .map((x) => `GET ${x.url}: ${x.headers.get('x-total-count') ?? 'missing'}`);
      return wrong.length === 0 ? passed(`${ok.length} responses`) : failed(`${wrong.length} of ${ok.length} lack it: ${summarise(wrong)}`);
    },
  },
  {
    id: 'headers.x-total-count-accurate',
    title: 'X-Total-Count equals the number of records the collection holds',
    reference: 'X-Total-Count: "the total number of resources that are available" (OAS; fact sheet §4)',
    run: async (ctx) => {
      const problems: string[] = [];
      let checked = 0;
      for (const e of ctx.endpoints().filter((x) => !x.path.includes('{'))) {
        const first = await ctx.get(e.service, e.path, { limit: 100 });
        if (first.status !== 200) {
          problems.push(describe(first));
          continue;
        }
        const header = first.headers.get('x-total-count');
        const real = (await ctx.everything(e.path)).length;
        checked++;
        if (header === null) problems.push(`GET ${first.url}: no X-Total-Count (the collection holds ${real})`);
        else if (Number(header) !== real) problems.push(`GET ${first.url}: X-Total-Count ${header}, but a full read returned ${real}`);
      }
      return problems.length === 0 ? passed(`${checked} collections`) : failed(summarise(problems));
    },
  },
];
