import { setSchemaName, singleSchemaName } from '../../../src/oneroster/rest/openapi/schema-names.js';
import type { EndpointDef, RestVersion } from '../../../src/oneroster/rest/rest-tables.js';
import { CaseEnd, check, failed, notRun, type Outcome, passed, type SuiteCase, summarise } from '../case.js';
import { describe, type Exchange, type Rec, type SuiteContext, statusInfo } from '../context.js';
import { paramsFor } from '../params.js';

/** A made-up sourcedId no provider should hold. */
export const NO_SUCH_ID = 'edhub-conformance-no-such-id';

interface Read {
  path: string;
  ex: Exchange;
}

/** The GET of a route with real ids (memoised: the endpoint case and the schema case share it). */
export function readEndpoint(ctx: SuiteContext, e: EndpointDef): Promise<Read> {
  const key = `read ${e.operationId}`;
  let p = ctx.state.get(key) as Promise<Read> | undefined;
  if (!p) {
    p = (async () => {
      const params = await paramsFor(ctx, e);
      const path = fill(e.path, params);
      return { path, ex: await ctx.get(e.service, path) };
    })();
    ctx.state.set(key, p);
  }
  return p;
}

export function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? NO_SUCH_ID));
}

const isSingle = (e: EndpointDef) => e.path.endsWith('/{sourcedId}');
const isNested = (e: EndpointDef) => /\{(?!sourcedId\})\w+\}/.test(e.path);

/**
 * Per GET operation of the version: `endpoint.<operationId>` (the route answers 200 with its key —
 * ids for single and nested routes come from the collections) and `schema.<operationId>` (the
 * payload validates against the discovery document's schema, fact sheet §7). Then the 404 rules.
 */
export function endpointCases(version: RestVersion, endpoints: EndpointDef[]): SuiteCase[] {
  const gets = endpoints.filter((e) => e.method === 'GET');
  const ordered = [...gets.filter((e) => !isSingle(e) && !isNested(e)), ...gets.filter((e) => isSingle(e) || isNested(e))];
  const cases: SuiteCase[] = [];
  for (const e of ordered) {
    cases.push({
      id: `endpoint.${e.operationId}`,
      title: `GET ${e.path} answers 200 with its payload`,
      reference: `OneRoster ${version} REST binding, ${e.service} service (fact sheet §2)`,
      run: async (ctx) => {
        const { ex } = await readEndpoint(ctx, e);
        return judgePresence(ctx, e, ex);
      },
    });
    cases.push({
      id: `schema.${e.operationId}`,
      title: `GET ${e.path}: the payload validates against ${isSingle(e) ? 'the single-object' : 'the collection'} schema`,
      reference: 'The 1.2 OpenAPI components.schemas as EdHub publishes them (discovery documents; fact sheet §7)',
      run: async (ctx) => {
        const { ex } = await readEndpoint(ctx, e);
        if (judgePresence(ctx, e, ex).status !== 'passed') return notRun(`endpoint.${e.operationId} did not pass, so there is no payload to validate`);
        const entity = ctx.entity(e);
        const schema = isSingle(e) ? singleSchemaName(entity) : setSchemaName(entity);
        const errors = ctx.validator(e.service).validate(schema, ex.json);
        if (errors.length === 0) return passed(`validated against ${schema}`);
        return failed(`${schema}: ${summarise(errors.map((v) => `${v.pointer} [${v.keyword}] ${v.message}`))}`);
      },
    });
  }
  cases.push(
    {
      id: 'endpoint.unknown-object',
      title: 'A single-object GET of an unknown sourcedId answers 404 unknownobject',
      reference: 'OAS single-object operations declare 404 unknownobject (fact sheet §2.1, §5.2)',
      run: async (ctx) => {
        const problems: string[] = [];
        for (const e of gets.filter(isSingle)) {
          const ex = await ctx.request('GET', e.service, fill(e.path, {}));
          if (ex.status !== 404 || statusInfo(ex)?.codeMinor !== 'unknownobject') problems.push(describe(ex));
        }
        return problems.length === 0 ? passed() : failed(summarise(problems));
      },
    },
    {
      id: 'endpoint.unknown-parent',
      title:
        version === '1.2'
          ? 'A nested GET under an unknown parent answers 404 unknownobject'
          : 'A nested GET under an unknown parent answers 200 with an empty list',
      reference:
        version === '1.2'
          ? 'OneRoster 1.2 operation descriptions: an unknown parent "must" be reported as unknownobject (fact sheet §2.1, §10.11)'
          : 'Microsoft SDS 1.1 tests, e.g. /schools/1000000/classes → 200 [] (fact sheet §9.2, §10.11)',
      run: async (ctx) => {
        const problems: string[] = [];
        for (const e of gets.filter(isNested)) {
          const ex = await ctx.request('GET', e.service, fill(e.path, {}));
          const key = ctx.entity(e).name;
          const ok =
            version === '1.2'
              ? ex.status === 404 && statusInfo(ex)?.codeMinor === 'unknownobject'
              : ex.status === 200 && Array.isArray((ex.json as Rec | undefined)?.[key]) && ((ex.json as Rec)[key] as unknown[]).length === 0;
          if (!ok) problems.push(describe(ex));
        }
        return problems.length === 0 ? passed() : failed(summarise(problems));
      },
    },
  );
  return cases;
}

function judgePresence(ctx: SuiteContext, e: EndpointDef, ex: Exchange): Outcome {
  try {
    check(ex.status === 200, () => describe(ex));
    const entity = ctx.entity(e);
    const body = ex.json as Rec | undefined;
    check(body !== undefined && typeof body === 'object', () => `GET ${ex.url}: the body is not a JSON object: ${ex.text.slice(0, 120)}`);
    if (isSingle(e)) {
      const one = body[entity.single] as Rec | undefined;
      check(
        typeof one === 'object' && one !== null && !Array.isArray(one),
        () => `GET ${ex.url}: no "${entity.single}" object (keys: ${Object.keys(body).join(', ')})`,
      );
      const asked = decodeURIComponent(ex.url.split('?')[0]?.split('/').pop() ?? '');
      check(one.sourcedId === asked, () => `GET ${ex.url}: answered sourcedId ${JSON.stringify(one.sourcedId)}`);
      return passed();
    }
    check(Array.isArray(body[entity.name]), () => `GET ${ex.url}: no "${entity.name}" array (keys: ${Object.keys(body).join(', ')})`);
    return passed(`${(body[entity.name] as unknown[]).length} record(s)`);
  } catch (err) {
    if (err instanceof CaseEnd) return err.outcome;
    throw err;
  }
}
