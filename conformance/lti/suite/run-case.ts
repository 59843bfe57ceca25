import { performance } from 'node:perf_hooks';
import type { LtiEmulator } from '../emulator/start-emulator.js';
import type { ToolRegistration } from '../emulator/state/tool-registry.js';
import { type CaseLaunch, expectationOf, type SuiteCase } from './cases.js';
import { classify, judge, type Observation, type Outcome, type TextPatterns, visibleText } from './classify.js';
import { describeRefusal, type EmulatorLog } from './emulator-log.js';
import type { CaseObserved, CaseResult } from './report.js';
import { type BrowserLimits, SuiteBrowser } from './suite-browser.js';

/** Everything a case needs from the run. */
export interface CaseEnvironment {
  emulator: LtiEmulator;
  tool: ToolRegistration;
  /** Sent as the launch's target_link_uri when the run was given one. */
  targetLinkUri?: string;
  limits: BrowserLimits;
  patterns: TextPatterns;
  anonymousLaunches: boolean;
  log: EmulatorLog;
  /** Origin of the emulator's pages (its auth endpoint). */
  platformOrigin: string;
}

/** The launch made before a `before: accepted-launch` case: a plain instructor launch. */
const PLAIN_LAUNCH: CaseLaunch = { userId: 'instructor' };

/**
 * One case: a fresh browser (its own cookie jar), the case's launch from the emulator followed
 * through the tool's login, the platform's auth endpoint and the form post to the tool's
 * redirect_uri, then classified and judged.
 */
export async function runCase(env: CaseEnvironment, c: SuiteCase): Promise<CaseResult> {
  const started = performance.now();
  const expected = expectationOf(c, env);
  const browser = new SuiteBrowser(env.limits);
  const finish = (observation: Observation | undefined, outcome: Outcome): CaseResult => {
    const { pass, reason } = judge(expected, outcome);
    return {
      id: c.id,
      name: c.cert ?? null,
      description: c.description,
      expected,
      outcome: outcome.verdict === 'failure' ? 'failure' : outcome.verdict,
      observed: observation ? observed(observation) : {},
      pass,
      reason,
      durationMs: Math.round(performance.now() - started),
    };
  };
  try {
    if (c.before === 'accepted-launch') {
      // The replayed-nonce tamper reuses the nonce of the previous id_token this emulator delivered to
      // the tool, so the case first completes a launch the tool accepts, in the same browser.
      const first = await launchOnce(env, browser, PLAIN_LAUNCH);
      const outcome = classify(first, env.patterns);
      if (outcome.verdict !== 'accepted') {
        const why = outcome.verdict === 'failure' ? outcome.reason : `rejected (${outcome.status})`;
        return finish(first, { verdict: 'failure', reason: `the plain launch this case starts with was not accepted: ${why}` });
      }
    }
    const observation = await launchOnce(env, browser, c.launch);
    return finish(observation, classify(observation, env.patterns));
  } catch (err) {
    if (err instanceof LaunchNotMade) return finish(undefined, { verdict: 'failure', reason: err.message });
    throw err;
  }
}

class LaunchNotMade extends Error {
  override readonly name = 'LaunchNotMade';
}

async function launchOnce(env: CaseEnvironment, browser: SuiteBrowser, launch: CaseLaunch): Promise<Observation> {
  const mark = env.log.mark();
  const postsBefore = browser.posts.length;
  let loginUrl: string;
  try {
    const ticket = await env.emulator.launch({ clientId: env.tool.clientId, ...(env.targetLinkUri ? { targetLinkUri: env.targetLinkUri } : {}), ...launch });
    loginUrl = ticket.loginUrl;
  } catch (err) {
    throw new LaunchNotMade(`the platform emulator could not make this launch: ${(err as Error).message}`);
  }
  const visit = await browser.visit(loginUrl);
  if (visit.kind !== 'page') return visit;
  const { page } = visit;
  const refusal = env.log.since(mark).find((e) => e.msg === 'lti emulator: authentication request refused');
  return {
    kind: 'response',
    status: page.status,
    url: page.url,
    body: page.body,
    atPlatform: new URL(page.url).origin === env.platformOrigin,
    idTokenDelivered: browser.posts.slice(postsBefore).some((p) => p.fields.includes('id_token') && new URL(p.url).origin !== env.platformOrigin),
    ...(refusal ? { platformRefusal: describeRefusal(refusal) } : {}),
  };
}

function observed(o: Observation): CaseObserved {
  switch (o.kind) {
    case 'response':
      return { status: o.status, url: o.url, text: visibleText(o.body) };
    case 'network-error':
      return { url: o.url, error: o.message };
    case 'timeout':
      return { url: o.url, error: `no answer within ${o.timeoutMs} ms` };
    case 'redirect-loop':
      return { url: o.url, error: `still redirecting after ${o.steps} steps` };
    case 'left-tool':
      return { url: o.url, error: `redirected to ${o.location}` };
    default: {
      const unknown: never = o;
      throw new Error(`unknown observation ${JSON.stringify(unknown)}`);
    }
  }
}
