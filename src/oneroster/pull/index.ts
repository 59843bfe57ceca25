/** OneRoster REST pull: a roster (or its changes) from a OneRoster 1.1/1.2 provider into a tenant. See pull-roster.ts. */
export { formatPullDiagnostic } from './pull-diagnostics.js';
export { lastSuccessfulPull } from './pull-log.js';
export { PULL_DEFAULTS, type PullCredentials, type PullDeps, type PullOptions, PullOptionsError, type PullProgress } from './pull-options.js';
export type { PullDiagnostic, PullDiagnosticCode, PullFailure, PullFailureCode, PullResult, PullTotals } from './pull-result.js';
export { pullRoster } from './pull-roster.js';
