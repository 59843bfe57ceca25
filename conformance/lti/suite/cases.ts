import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/paths.js';
import { isMessageType, type MessageType } from '../emulator/vocabulary.js';

export type Expectation = 'accept' | 'reject';

/** The launch a case makes: a LaunchInput of the platform emulator without the client_id. */
export interface CaseLaunch {
  userId?: string;
  messageType?: MessageType;
  /** null: a launch without the context claim. */
  contextId?: string | null;
  audience?: 'string' | 'array';
  tamper?: string[];
}

/** One case of conformance/lti/suite/lti-tool-cases.json. */
export interface SuiteCase {
  id: string;
  /** The 1EdTech certification case name, where there is one. */
  cert?: string;
  description: string;
  expected: Expectation;
  /** The expectation when the run says the tool offers anonymous launches (CORE §5.3.6). */
  anonymousLaunchExpected?: Expectation;
  /** `accepted-launch`: a plain launch, in the same browser, must be accepted first (the replayed nonce needs one). */
  before?: 'accepted-launch';
  launch: CaseLaunch;
}

export const SUITE_CASES_FILE = join(projectRoot, 'conformance/lti/suite/lti-tool-cases.json');

const CASE_KEYS = new Set(['id', 'cert', 'description', 'expected', 'anonymousLaunchExpected', 'before', 'launch']);
const LAUNCH_KEYS = new Set(['userId', 'messageType', 'contextId', 'audience', 'tamper']);

export function loadSuiteCases(knownTampers: ReadonlySet<string>, file = SUITE_CASES_FILE): SuiteCase[] {
  return parseSuiteCases(JSON.parse(readFileSync(file, 'utf8')), knownTampers, file);
}

/**
 * Checks the case table: unique kebab-case ids, a description, accept/reject, known tamper ids, and
 * nothing unrecognised (a misspelt key would otherwise silently change what a case tests).
 */
export function parseSuiteCases(data: unknown, knownTampers: ReadonlySet<string>, where: string): SuiteCase[] {
  const cases = (data as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`${where}: expected a non-empty "cases" array`);
  const seen = new Set<string>();
  return cases.map((value, i) => {
    const at = `${where} cases[${i}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at}: a case is an object`);
    const c = value as Record<string, unknown>;
    for (const key of Object.keys(c)) if (!CASE_KEYS.has(key) && !key.startsWith('$')) throw new Error(`${at}: unknown key "${key}"`);
    if (typeof c.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id)) throw new Error(`${at}: id must be kebab-case`);
    if (seen.has(c.id)) throw new Error(`${at}: duplicate id "${c.id}"`);
    seen.add(c.id);
    if (typeof c.description !== 'string' || c.description === '') throw new Error(`${at} (${c.id}): needs a description`);
    if (c.cert !== undefined && (typeof c.cert !== 'string' || c.cert === '')) throw new Error(`${at} (${c.id}): cert must be a non-empty string`);
    expectation(c.expected, `${at} (${c.id}) expected`);
    if (c.anonymousLaunchExpected !== undefined) expectation(c.anonymousLaunchExpected, `${at} (${c.id}) anonymousLaunchExpected`);
    if (c.before !== undefined && c.before !== 'accepted-launch') throw new Error(`${at} (${c.id}): before must be "accepted-launch"`);
    checkLaunch(c.launch, knownTampers, `${at} (${c.id}) launch`);
    return c as unknown as SuiteCase;
  });
}

function expectation(value: unknown, at: string): Expectation {
  if (value !== 'accept' && value !== 'reject') throw new Error(`${at}: must be "accept" or "reject"`);
  return value;
}

function checkLaunch(value: unknown, knownTampers: ReadonlySet<string>, at: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at}: must be an object`);
  const l = value as Record<string, unknown>;
  for (const key of Object.keys(l)) if (!LAUNCH_KEYS.has(key)) throw new Error(`${at}: unknown key "${key}"`);
  if (l.userId !== undefined && (typeof l.userId !== 'string' || l.userId === '')) throw new Error(`${at}: userId must be a directory user id`);
  if (l.messageType !== undefined && (typeof l.messageType !== 'string' || !isMessageType(l.messageType))) {
    throw new Error(`${at}: unknown messageType ${JSON.stringify(l.messageType)}`);
  }
  if (l.contextId !== undefined && l.contextId !== null && typeof l.contextId !== 'string') throw new Error(`${at}: contextId must be a string or null`);
  if (l.audience !== undefined && l.audience !== 'string' && l.audience !== 'array') throw new Error(`${at}: audience must be "string" or "array"`);
  if (l.tamper !== undefined) {
    if (!Array.isArray(l.tamper)) throw new Error(`${at}: tamper must be a list of tamper ids`);
    for (const id of l.tamper) if (typeof id !== 'string' || !knownTampers.has(id)) throw new Error(`${at}: unknown tamper ${JSON.stringify(id)}`);
  }
}

/** The cases to run, in table order; an id that names no case is an error (a typo must not shrink a run silently). */
export function selectCases(cases: readonly SuiteCase[], only: readonly string[]): SuiteCase[] {
  if (only.length === 0) return [...cases];
  const known = new Set(cases.map((c) => c.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`no case ${unknown.map((id) => `"${id}"`).join(', ')}; known: ${[...known].join(', ')}`);
  const wanted = new Set(only);
  return cases.filter((c) => wanted.has(c.id));
}

/** What the tool must do with the case in this run. */
export function expectationOf(c: SuiteCase, run: { anonymousLaunches: boolean }): Expectation {
  return run.anonymousLaunches && c.anonymousLaunchExpected ? c.anonymousLaunchExpected : c.expected;
}
