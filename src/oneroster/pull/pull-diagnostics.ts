import type { PullDiagnostic } from './pull-result.js';

/** Diagnostics listed before the rest are only counted: a provider sending a million bad records gets a readable answer. */
export const MAX_PULL_DIAGNOSTICS = 1000;

export class PullDiagnostics {
  readonly list: PullDiagnostic[] = [];
  errors = 0;
  warnings = 0;
  suppressed = 0;

  constructor(readonly limit = MAX_PULL_DIAGNOSTICS) {}

  add(d: PullDiagnostic): void {
    if (d.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.list.length < this.limit) this.list.push(d);
    else this.suppressed++;
  }
}

/** `/enrollments e1 class: error ref.missing — …` */
export function formatPullDiagnostic(d: PullDiagnostic): string {
  const where = [d.endpoint, d.sourcedId === undefined ? undefined : JSON.stringify(d.sourcedId), d.field].filter((x) => x !== undefined && x !== '').join(' ');
  return `${where}: ${d.severity} ${d.code} — ${d.message}`;
}
