import { table } from '../../../src/cli/text-output.js';
import type { Expectation } from './cases.js';

/** What a tool needs to know about the emulated platform (printed before the cases run). */
export interface PlatformDetails {
  issuer: string;
  clientId: string;
  deploymentId: string;
  authorizationUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  openidConfigurationUrl: string;
  /** The kid of the key the platform signs id_tokens with. */
  kid: string;
  registeredBy: 'dynamic-registration' | 'hand';
}

/** What the browser saw at the end of a case. */
export interface CaseObserved {
  status?: number;
  /** The final URL. */
  url?: string;
  /** The first ~200 characters of the final page's visible text. */
  text?: string;
  /** Why there was no final page (network error, timeout, loop, off-site redirect). */
  error?: string;
}

export interface CaseResult {
  id: string;
  /** The 1EdTech certification case name; null when the case has none. */
  name: string | null;
  description: string;
  expected: Expectation;
  outcome: 'accepted' | 'rejected' | 'failure';
  observed: CaseObserved;
  pass: boolean;
  reason: string;
  durationMs: number;
}

export interface LtiSuiteReport {
  tool: { loginUrl: string; launchUrls: string[]; jwksUrl: string; targetLinkUri?: string };
  platform: PlatformDetails;
  cases: CaseResult[];
  totals: { cases: number; passed: number; failed: number; durationMs: number };
}

export function platformDetailsLines(p: PlatformDetails): string[] {
  return [
    `LTI 1.3 platform emulator (tool registered ${p.registeredBy === 'hand' ? 'by hand' : 'by Dynamic Registration'}):`,
    `  issuer                 ${p.issuer}`,
    `  client_id              ${p.clientId}`,
    `  deployment_id          ${p.deploymentId}`,
    `  OIDC auth endpoint     ${p.authorizationUrl}`,
    `  token endpoint         ${p.tokenUrl}`,
    `  JWKS                   ${p.jwksUrl}  (kid ${p.kid})`,
    `  OpenID configuration   ${p.openidConfigurationUrl}`,
  ];
}

/** The pass/fail table, then the detail of every failed case, then the totals. */
export function formatReportText(report: LtiSuiteReport): string {
  const rows = [
    ['result', 'case', 'expected', 'observed', 'ms', 'reason'],
    ...report.cases.map((c) => [c.pass ? 'PASS' : 'FAIL', c.id, c.expected, observedCell(c.observed), String(c.durationMs), c.reason]),
  ];
  const failed = report.cases.filter((c) => !c.pass);
  const details = failed.flatMap((c) => [
    `${c.id}${c.name ? ` (${c.name})` : ''}: ${c.reason}`,
    `  case      ${c.description}`,
    ...(c.observed.url ? [`  final URL ${c.observed.url}`] : []),
    ...(c.observed.text !== undefined ? [`  page      ${c.observed.text || '(no visible text)'}`] : []),
    ...(c.observed.error ? [`  error     ${c.observed.error}`] : []),
  ]);
  const t = report.totals;
  const summary = `${t.cases} case${t.cases === 1 ? '' : 's'}: ${t.passed} passed, ${t.failed} failed (${(t.durationMs / 1000).toFixed(1)} s)`;
  return [table(rows), ...(details.length ? ['', 'Failed cases:', ...details] : []), '', summary, ''].join('\n');
}

export function formatReportJson(report: LtiSuiteReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function observedCell(o: CaseObserved): string {
  if (o.status === undefined) return o.error ? 'no page' : '—';
  const path = o.url ? new URL(o.url).pathname : '';
  return `${o.status} ${path}`.trim();
}
