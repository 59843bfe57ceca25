import { setTimeout as sleep } from 'node:timers/promises';
import { findForm } from '../browser/html-form.js';
import type { LtiEmulator } from '../emulator/start-emulator.js';
import type { ToolRegistration } from '../emulator/state/tool-registry.js';
import { classify, visibleText } from './classify.js';
import { describeRefusal, type EmulatorLog } from './emulator-log.js';
import { SuiteSetupError } from './options.js';
import { type BrowserLimits, SuiteBrowser, type Visit } from './suite-browser.js';

/** Forms a tool's registration page may ask the person to submit (a confirmation, perhaps a second step). */
const MAX_FORMS = 3;
const POLL_MS = 50;

/** A registration made by hand in the tool: the emulator holds the same client_id and deployment. */
export function registerByHand(
  emulator: LtiEmulator,
  tool: { loginUrl: string; launchUrls: string[]; jwksUrl: string; targetLinkUri?: string; clientId: string; deploymentId: string },
): ToolRegistration {
  return emulator.registerTool({
    name: 'Tool under test',
    clientId: tool.clientId,
    deployments: [tool.deploymentId],
    initiateLoginUri: tool.loginUrl,
    redirectUris: tool.launchUrls,
    jwksUri: tool.jwksUrl,
    ...(tool.targetLinkUri ? { targetLinkUri: tool.targetLinkUri } : {}),
  });
}

/**
 * Dynamic Registration (DR §3): the emulator opens the tool's registration URL with its
 * openid_configuration and a registration token; the browser submits whatever confirmation form the
 * tool shows (an administrator's "Register" button), and the run waits until the emulator holds a
 * tool registered this way. Any other ending is a SuiteSetupError saying what the page or the
 * platform said.
 */
export async function registerByDynamicRegistration(
  emulator: LtiEmulator,
  registrationUrl: string,
  env: { limits: BrowserLimits; log: EmulatorLog },
): Promise<ToolRegistration> {
  const before = new Set(emulator.tools().map((t) => t.clientId));
  const registered = () => emulator.tools().find((t) => !before.has(t.clientId) && t.registeredBy === 'dynamic-registration');
  const mark = env.log.mark();
  const refusal = () => {
    const entry = env.log.since(mark).find((e) => e.msg === 'lti emulator: tool registration refused');
    return entry ? `; the platform refused the registration: ${describeRefusal(entry)}` : '';
  };
  const browser = new SuiteBrowser(env.limits);
  let visit = await browser.visit(emulator.startDynamicRegistration(registrationUrl).url);
  for (let forms = 0; ; forms++) {
    if (visit.kind !== 'page') throw new SuiteSetupError(`Dynamic Registration failed: ${unreachable(visit, registrationUrl)}${refusal()}`);
    const page = visit.page;
    if (registered()) break;
    if (page.status >= 400) {
      throw new SuiteSetupError(
        `Dynamic Registration failed: the tool answered ${page.status} at ${withoutQuery(page.url)}: ${visibleText(page.body) || '(no text)'}${refusal()}`,
      );
    }
    const form = page.status < 300 ? findForm(page.body, page.url) : undefined;
    if (!form || forms >= MAX_FORMS) break;
    visit =
      form.method === 'POST'
        ? await browser.visit(form.action, { method: 'POST', form: form.fields })
        : await browser.visit(withQuery(form.action, form.fields));
  }
  const tool = registered() ?? (await waitFor(registered, env.limits.timeoutMs));
  if (!tool) {
    const last = visit.kind === 'page' ? `${visit.page.status} at ${withoutQuery(visit.page.url)}: ${visibleText(visit.page.body) || '(no text)'}` : 'no page';
    throw new SuiteSetupError(`Dynamic Registration did not complete: the platform received no registration from the tool (last page ${last})${refusal()}`);
  }
  return tool;
}

function unreachable(visit: Exclude<Visit, { kind: 'page' }>, registrationUrl: string): string {
  const outcome = classify(visit, {});
  const reason = outcome.verdict === 'failure' ? outcome.reason : outcome.verdict;
  return `could not open the tool's registration URL ${registrationUrl}: ${reason}`;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await sleep(POLL_MS);
    const found = probe();
    if (found) return found;
  }
  return undefined;
}

/** Pages of the registration flow carry the registration token in their query string: not for messages. */
function withoutQuery(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

function withQuery(action: string, fields: Record<string, string>): string {
  const url = new URL(action);
  for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
  return url.toString();
}
