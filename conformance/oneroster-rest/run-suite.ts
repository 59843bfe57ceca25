import { createRawOneRosterRequester, type OneRosterAuth, OneRosterClientError } from '../../src/oneroster/client/index.js';
import { oneRosterScopes } from '../../src/tenancy/scopes.js';
import { CaseEnd, failed, type Outcome } from './case.js';
import { cleanUpWrites } from './cases/google-writes.js';
import { suiteCases } from './cases/index.js';
import { describe, type Requester, type Requesters, SuiteContext } from './context.js';
import {
  listOption,
  type OneRosterRestCommandOptions,
  type OneRosterRestSuiteOptions,
  type ResolvedSuiteOptions,
  resolveSuiteOptions,
  SUITE_DEFAULTS,
  SuiteOptionError,
  selected,
} from './options.js';
import { type CaseResult, formatTable, type SuiteReport, totalsOf } from './report.js';

/** Retries after 429/5xx per request: enough to ride out a throttling provider, few enough to finish. */
const MAX_RETRIES = 3;

/**
 * Runs the OneRoster REST conformance suite against any provider. Throws SuiteOptionError for options
 * it cannot run with; everything the provider does (including refusing the credentials) ends up in
 * the report.
 */
export async function runOneRosterRestSuite(options: OneRosterRestSuiteOptions): Promise<SuiteReport> {
  const o = resolveSuiteOptions(options);
  const started = new Date();
  const report = (cases: CaseResult[], couldNotRun?: string): SuiteReport => {
    const totals = totalsOf(cases);
    return {
      suite: 'oneroster-rest',
      version: o.version,
      baseUrl: o.baseUrl,
      auth: o.auth,
      writes: o.writes,
      startedAt: started.toISOString(),
      ms: Date.now() - started.getTime(),
      ...(couldNotRun ? { couldNotRun } : {}),
      cases,
      totals,
      exitCode: couldNotRun ? 2 : totals.failed > 0 ? 1 : 0,
    };
  };

  let ctx: SuiteContext;
  try {
    ctx = new SuiteContext(o, requesters(o));
  } catch (err) {
    if (err instanceof TypeError) return report([], err.message);
    throw err;
  }
  const refused = await preflight(ctx);
  if (refused) return report([], refused);

  const results: CaseResult[] = [];
  try {
    for (const c of suiteCases(o.version).filter((x) => selected(x.id, o))) {
      const t0 = performance.now();
      const outcome = await runCase(() => c.run(ctx));
      results.push({ id: c.id, title: c.title, reference: c.reference, ...outcome, ms: Math.round(performance.now() - t0) });
    }
  } finally {
    await cleanUpWrites(ctx).catch(() => []);
  }
  return report(results);
}

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** `edhub conformance oneroster-rest …`: prints the table (or the JSON report); resolves to the exit code 0, 1 or 2. */
export async function runOneRosterRestSuiteCommand(options: OneRosterRestCommandOptions, io: CommandIo): Promise<number> {
  const { json, only, skip, scopes, ...rest } = options;
  let r: SuiteReport;
  try {
    r = await runOneRosterRestSuite({
      ...rest,
      ...(only === undefined ? {} : { only: listOption(only) }),
      ...(skip === undefined ? {} : { skip: listOption(skip) }),
      ...(scopes === undefined ? {} : { scopes: listOption(scopes) }),
    });
  } catch (err) {
    if (!(err instanceof SuiteOptionError)) throw err;
    io.stderr.write(`conformance oneroster-rest: ${err.message}\n`);
    return 2;
  }
  io.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : formatTable(r));
  if (r.couldNotRun) io.stderr.write(`conformance oneroster-rest: could not run: ${r.couldNotRun}\n`);
  return r.exitCode;
}

function requesters(o: ResolvedSuiteOptions): Requesters {
  const make = (auth: OneRosterAuth): Requester =>
    createRawOneRosterRequester({
      baseUrl: o.baseUrl,
      version: o.version,
      auth,
      timeoutMs: o.timeoutMs,
      maxRetries: MAX_RETRIES,
      allowInsecureHttp: o.allowInsecureHttp,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
  const credentials = (clientId: string, clientSecret: string, scopes: string[]): OneRosterAuth =>
    o.auth === 'oauth1'
      ? { kind: 'oauth1', consumerKey: clientId, consumerSecret: clientSecret }
      : { kind: 'oauth2', tokenUrl: o.tokenUrl, clientId, clientSecret, ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}) };
  const v = oneRosterScopes(o.version);
  return {
    main: make(credentials(o.clientId, o.clientSecret, o.scopes)),
    ...(o.limited ? { limited: make(credentials(o.limited.clientId, o.limited.clientSecret, [`${v.prefix}${SUITE_DEFAULTS.limitedScope}`])) } : {}),
    // OAuth 1.0a: the right key signed with a wrong secret. OAuth 2: SuiteContext sends a bogus bearer token.
    ...(o.auth === 'oauth1' ? { wrong: make(credentials(o.clientId, `${o.clientSecret}-wrong`, [])) } : {}),
  };
}

/** Why the suite cannot run (no token, no provider, credentials refused), or undefined when it can. */
async function preflight(ctx: SuiteContext): Promise<string | undefined> {
  try {
    const ex = await ctx.request('GET', 'rostering', '/orgs', { query: { limit: 1 } });
    if (ex.status === 401) return `the provider refused the credentials: ${describe(ex)}`;
    return undefined;
  } catch (err) {
    if (err instanceof OneRosterClientError) {
      if (err.code === 'token_error') return `the token endpoint refused the credentials or answered nonsense: ${err.message}`;
      if (err.code === 'network_error') return `the provider or its token endpoint cannot be reached: ${err.message}`;
      return err.message;
    }
    throw err;
  }
}

async function runCase(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CaseEnd) return err.outcome;
    if (err instanceof OneRosterClientError) return failed(err.message);
    return failed(`the suite could not finish this case: ${(err as Error).message ?? String(err)}`);
  }
}
