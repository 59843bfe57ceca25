import type { RestVersion } from '../../src/oneroster/rest/rest-tables.js';
import type { CaseStatus } from './case.js';

export interface CaseResult {
  id: string;
  title: string;
  reference: string;
  status: CaseStatus;
  reason: string;
  ms: number;
}

/** What a run found: one entry per case run, totals and the exit code the command returns. */
export interface SuiteReport {
  suite: 'oneroster-rest';
  version: RestVersion;
  baseUrl: string;
  auth: 'oauth2' | 'oauth1';
  writes: boolean;
  startedAt: string;
  ms: number;
  /**
   * Set when the suite could not run at all (token endpoint unreachable, credentials refused):
   * then `cases` is empty and the exit code is 2.
   */
  couldNotRun?: string;
  cases: CaseResult[];
  totals: { passed: number; failed: number; notRun: number; total: number };
  /** 0 all passed (or not run), 1 a case failed, 2 the suite could not run. */
  exitCode: 0 | 1 | 2;
}

export function totalsOf(cases: CaseResult[]): SuiteReport['totals'] {
  const count = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
  return { passed: count('passed'), failed: count('failed'), notRun: count('not run'), total: cases.length };
}

const LABEL: Record<CaseStatus, string> = { passed: 'PASS', failed: 'FAIL', 'not run': 'NOT RUN' };

/** The table people read: status, id, title, reason; then totals and the exit code. */
export function formatTable(r: SuiteReport): string {
  const lines = [`OneRoster ${r.version} REST conformance: ${r.baseUrl} (${r.auth}${r.writes ? ', writes' : ''})`];
  if (r.couldNotRun) {
    lines.push(`could not run: ${r.couldNotRun}`, 'exit code 2');
    return `${lines.join('\n')}\n`;
  }
  const idWidth = Math.max(2, ...r.cases.map((c) => c.id.length));
  const titleWidth = Math.min(70, Math.max(5, ...r.cases.map((c) => c.title.length)));
  const cell = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  lines.push('', `${cell('STATUS', 7)}  ${cell('ID', idWidth)}  ${cell('TITLE', titleWidth)}  REASON`);
  for (const c of r.cases) lines.push(`${cell(LABEL[c.status], 7)}  ${cell(c.id, idWidth)}  ${cell(c.title, titleWidth)}  ${c.reason}`.trimEnd());
  const t = r.totals;
  lines.push('', `${t.passed} passed, ${t.failed} failed, ${t.notRun} not run, ${t.total} cases in ${(r.ms / 1000).toFixed(1)} s`, `exit code ${r.exitCode}`);
  return `${lines.join('\n')}\n`;
}
