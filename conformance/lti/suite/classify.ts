import { decodeEntities } from '../browser/html-form.js';
import type { Expectation } from './cases.js';

/**
 * Deciding what a tool did with a launch, as pure functions over what the simulated browser saw.
 *
 * ACCEPTED: the final page, after the tool's redirects, is 2xx (and matches --accept-text when given).
 * REJECTED: the tool answered 4xx, or a 2xx page that matches --reject-text.
 * FAILURE: everything else — a 5xx, a network error, a timeout, a redirect loop, a launch that never
 * delivered an id_token to the tool or ended on the platform's error page. A failure is never a
 * correct rejection: a tool that crashes on a forged token has not refused it, it has fallen over.
 */

/** What the browser ended with. */
export type Observation =
  | {
      kind: 'response';
      status: number;
      /** The final URL. */
      url: string;
      body: string;
      /** The final page is on the platform emulator, not the tool (its error page). */
      atPlatform: boolean;
      /** Some request carried an id_token form field to the tool (the launch reached the tool at all). */
      idTokenDelivered: boolean;
      /** What the platform logged when it refused the tool's authentication request, if it did. */
      platformRefusal?: string;
    }
  | { kind: 'network-error'; url: string; message: string }
  | { kind: 'timeout'; url: string; timeoutMs: number }
  | { kind: 'redirect-loop'; url: string; steps: number }
  /** The tool sent the browser to an origin that is neither the tool's nor the platform's; not followed. */
  | { kind: 'left-tool'; url: string; location: string };

export type Outcome =
  | { verdict: 'accepted'; status: number }
  | { verdict: 'rejected'; status: number; by: 'status' | 'reject-text' }
  | { verdict: 'failure'; reason: string };

export interface TextPatterns {
  acceptText?: RegExp;
  rejectText?: RegExp;
}

export function classify(o: Observation, patterns: TextPatterns): Outcome {
  switch (o.kind) {
    case 'network-error':
      return { verdict: 'failure', reason: `network error: ${o.message} (${o.url})` };
    case 'timeout':
      return { verdict: 'failure', reason: `timeout: no answer from ${o.url} within ${o.timeoutMs} ms` };
    case 'redirect-loop':
      return { verdict: 'failure', reason: `redirect loop: still redirecting after ${o.steps} steps (last ${o.url})` };
    case 'left-tool':
      return { verdict: 'failure', reason: `the tool sent the browser outside the tool and the platform, to ${o.location} (not followed)` };
    case 'response':
      return classifyResponse(o, patterns);
    default: {
      const unknown: never = o;
      throw new Error(`unknown observation ${JSON.stringify(unknown)}`);
    }
  }
}

function classifyResponse(o: Extract<Observation, { kind: 'response' }>, patterns: TextPatterns): Outcome {
  if (!o.idTokenDelivered || o.atPlatform) {
    const why = o.platformRefusal ? `the platform refused the tool's authentication request: ${o.platformRefusal}` : `it ended with ${o.status} at ${o.url}`;
    return { verdict: 'failure', reason: `the launch never delivered an id_token to the tool: ${why}` };
  }
  if (o.status >= 500) return { verdict: 'failure', reason: `tool crashed: ${o.status}` };
  if (o.status >= 400) return { verdict: 'rejected', status: o.status, by: 'status' };
  if (o.status >= 200 && o.status < 300) {
    const text = visibleText(o.body, Number.POSITIVE_INFINITY);
    if (patterns.rejectText?.test(text)) return { verdict: 'rejected', status: o.status, by: 'reject-text' };
    if (patterns.acceptText && !patterns.acceptText.test(text)) {
      return { verdict: 'failure', reason: `inconclusive: the ${o.status} page matches neither --accept-text nor --reject-text` };
    }
    return { verdict: 'accepted', status: o.status };
  }
  return { verdict: 'failure', reason: `unexpected final status ${o.status}` };
}

/** Pass or fail, and why: a reject case passes only when REJECTED, an accept case only when ACCEPTED. */
export function judge(expected: Expectation, outcome: Outcome): { pass: boolean; reason: string } {
  switch (outcome.verdict) {
    case 'failure':
      return { pass: false, reason: outcome.reason };
    case 'accepted':
      return expected === 'accept' ? { pass: true, reason: `accepted (${outcome.status})` } : { pass: false, reason: 'accepted' };
    case 'rejected': {
      const how = outcome.by === 'status' ? `${outcome.status}` : `${outcome.status} page matches --reject-text`;
      return expected === 'reject' ? { pass: true, reason: `rejected (${how})` } : { pass: false, reason: `rejected (${how})` };
    }
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/** Elements whose content a person does not read. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'head']);
const TAG_NAME = /\s*([a-z]+)/y;

/**
 * The text a person would read on the page: scripts, styles, the head, comments and tags dropped,
 * entities decoded, whitespace collapsed; JSON and plain text pass through. Cut to `max` characters.
 * One forward scan, so a hostile page (thousands of unclosed tags) costs linear time.
 */
export function visibleText(body: string, max = 200): string {
  // ASCII-only lower case keeps every index of `body` valid in `lower`.
  const lower = body.replace(/[A-Z]+/g, (c) => c.toLowerCase());
  const parts: string[] = [];
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    if (lt < 0) {
      parts.push(body.slice(i));
      break;
    }
    parts.push(body.slice(i, lt));
    if (!/[a-z/!?]/.test(lower.charAt(lt + 1))) {
      parts.push('<');
      i = lt + 1;
      continue;
    }
    parts.push(' ');
    if (lower.startsWith('<!--', lt)) {
      const end = lower.indexOf('-->', lt + 4);
      i = end < 0 ? body.length : end + 3;
      continue;
    }
    const gt = body.indexOf('>', lt);
    if (gt < 0) break;
    TAG_NAME.lastIndex = lt + 1;
    const name = TAG_NAME.exec(lower)?.[1];
    if (name && HIDDEN.has(name)) {
      const close = lower.indexOf(`</${name}`, gt);
      const closeEnd = close < 0 ? -1 : lower.indexOf('>', close);
      i = closeEnd < 0 ? body.length : closeEnd + 1;
      continue;
    }
    i = gt + 1;
  }
  const text = decodeEntities(parts.join('')).split(/\s+/).filter(Boolean).join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
