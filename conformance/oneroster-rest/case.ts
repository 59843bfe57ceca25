import type { SuiteContext } from './context.js';

/**
 * One conformance case. "not run" is an outcome of its own: the case could not be judged (writes
 * off, no limited credential, no data to take an id from), which is neither a pass nor a failure.
 */
export type CaseStatus = 'passed' | 'failed' | 'not run';

export interface Outcome {
  status: CaseStatus;
  /** Why it failed or did not run; for a pass, an optional note on what was checked. */
  reason: string;
}

export interface SuiteCase {
  /** Stable, `area.name` (e.g. `paging.link`, `endpoint.getAllUsers`): what --only/--skip and tests name. */
  id: string;
  title: string;
  /** Where the rule comes from: a spec section, the fact sheet, SDS's or Google's test. */
  reference: string;
  run(ctx: SuiteContext): Promise<Outcome>;
}

export const passed = (reason = ''): Outcome => ({ status: 'passed', reason });
export const failed = (reason: string): Outcome => ({ status: 'failed', reason });
export const notRun = (reason: string): Outcome => ({ status: 'not run', reason });

/** Thrown inside a case to end it with an outcome (the case's own assert). */
export class CaseEnd extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.reason);
  }
}

/** Ends the case as failed unless `ok`. */
export function check(ok: unknown, reason: string | (() => string)): asserts ok {
  if (!ok) throw new CaseEnd(failed(typeof reason === 'function' ? reason() : reason));
}

/** The value, or the case ends as "not run" (there is nothing to check it with). */
export function needs<T>(value: T | undefined | null | false, reason: string): T {
  if (value === undefined || value === null || value === false) throw new CaseEnd(notRun(reason));
  return value;
}

/** At most `max` items of a list of problems, and how many more there were. */
export function summarise(problems: string[], max = 3): string {
  const shown = problems.slice(0, max).join('; ');
  return problems.length > max ? `${shown}; and ${problems.length - max} more` : shown;
}
