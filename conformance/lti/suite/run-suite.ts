import { performance } from 'node:perf_hooks';
import { type LtiEmulator, startLtiEmulator } from '../emulator/start-emulator.js';
import type { ToolRegistration } from '../emulator/state/tool-registry.js';
import { TamperTable } from '../emulator/tamper/tamper-table.js';
import { loadSuiteCases, type SuiteCase, selectCases } from './cases.js';
import { EmulatorLog } from './emulator-log.js';
import { type LtiToolSuiteOptions, type ResolvedSuiteOptions, resolveSuiteOptions, SuiteSetupError } from './options.js';
import { registerByDynamicRegistration, registerByHand } from './register-tool.js';
import type { CaseResult, LtiSuiteReport, PlatformDetails } from './report.js';
import { type CaseEnvironment, runCase } from './run-case.js';
import { type BrowserLimits, NetworkFailure, RequestTimeout, SuiteBrowser } from './suite-browser.js';

/**
 * `edhub conformance lti-tool`: certification-style launches against any LTI 1.3 tool. Starts a
 * platform emulator, registers the tool with it (Dynamic Registration, or the client_id and deployment
 * the tool was given by hand), then runs the cases of lti-tool-cases.json one after another — one
 * after another because the replayed-nonce case depends on the launch before it. Throws
 * SuiteSetupError when the run cannot start; a case that fails is a result, not an error.
 */
export async function runLtiToolSuite(options: LtiToolSuiteOptions): Promise<LtiSuiteReport> {
  const started = performance.now();
  const o = resolveSuiteOptions(options);
  const cases = casesFor(o);
  const log = new EmulatorLog();
  let emulator: LtiEmulator;
  try {
    emulator = await startLtiEmulator({ ...o.emulator, logger: log.logger });
  } catch (err) {
    throw new SuiteSetupError(`could not start the platform emulator on ${o.emulator.host}:${o.emulator.port}: ${(err as Error).message}`);
  }
  try {
    const platformOrigin = new URL(emulator.endpoints.authorization).origin;
    const allowedOrigins = new Set([platformOrigin, new URL(emulator.url).origin, ...toolOrigins(o)]);
    const limits: BrowserLimits = { timeoutMs: o.timeoutMs, allowedOrigins };
    const tool = await register(emulator, o, limits, log);
    // The tool may have registered URLs on origins the run was not told about; its pages may be visited.
    for (const url of [tool.initiateLoginUri, ...tool.redirectUris, tool.targetLinkUri]) allowedOrigins.add(new URL(url).origin);
    const platform = platformDetails(emulator, tool, o.registration.kind);
    await o.onPlatformReady?.(platform);

    const env: CaseEnvironment = {
      emulator,
      tool,
      targetLinkUri: o.targetLinkUri,
      limits,
      patterns: { acceptText: o.acceptText, rejectText: o.rejectText },
      anonymousLaunches: o.anonymousLaunches,
      log,
      platformOrigin,
    };
    const results: CaseResult[] = [];
    for (const c of cases) results.push(await runCase(env, c));
    const passed = results.filter((r) => r.pass).length;
    return {
      tool: { loginUrl: o.loginUrl, launchUrls: o.launchUrls, jwksUrl: o.jwksUrl, ...(o.targetLinkUri ? { targetLinkUri: o.targetLinkUri } : {}) },
      platform,
      cases: results,
      totals: { cases: results.length, passed, failed: results.length - passed, durationMs: Math.round(performance.now() - started) },
    };
  } finally {
    await emulator.close();
  }
}

function casesFor(o: ResolvedSuiteOptions): SuiteCase[] {
  const all = loadSuiteCases(
    new Set(
      TamperTable.load()
        .list()
        .map((t) => t.id),
    ),
  );
  try {
    return selectCases(all, o.only);
  } catch (err) {
    throw new SuiteSetupError(`--only: ${(err as Error).message}`);
  }
}

async function register(emulator: LtiEmulator, o: ResolvedSuiteOptions, limits: BrowserLimits, log: EmulatorLog): Promise<ToolRegistration> {
  const r = o.registration;
  if (r.kind === 'dynamic-registration') return registerByDynamicRegistration(emulator, r.registrationUrl, { limits, log });
  await checkReachable(o.jwksUrl, limits);
  return registerByHand(emulator, { ...o, clientId: r.clientId, deploymentId: r.deploymentId });
}

/** Any HTTP answer from the tool's JWKS URL will do: only "nobody there" stops the run (exit 2). */
async function checkReachable(url: string, limits: BrowserLimits): Promise<void> {
  try {
    await new SuiteBrowser(limits).request(url);
  } catch (err) {
    if (err instanceof NetworkFailure || err instanceof RequestTimeout) throw new SuiteSetupError(`the tool is unreachable: GET ${url} failed: ${err.message}`);
    throw err;
  }
}

function toolOrigins(o: ResolvedSuiteOptions): string[] {
  const urls = [o.loginUrl, ...o.launchUrls, o.jwksUrl, ...(o.targetLinkUri ? [o.targetLinkUri] : [])];
  if (o.registration.kind === 'dynamic-registration') urls.push(o.registration.registrationUrl);
  return urls.map((u) => new URL(u).origin);
}

function platformDetails(emulator: LtiEmulator, tool: ToolRegistration, registeredBy: PlatformDetails['registeredBy']): PlatformDetails {
  const e = emulator.endpoints;
  return {
    issuer: emulator.issuer,
    clientId: tool.clientId,
    deploymentId: tool.deployments[0] as string,
    authorizationUrl: e.authorization,
    tokenUrl: e.token,
    jwksUrl: e.jwks,
    openidConfigurationUrl: e.openidConfiguration,
    kid: String(emulator.jwks().keys.at(-1)?.kid ?? ''),
    registeredBy,
  };
}
