/** The OneRoster 1.1 / 1.2 REST provider conformance suite (`edhub conformance oneroster-rest`). */
export type { CaseStatus } from './case.js';
export { suiteCases } from './cases/index.js';
export { type OneRosterRestCommandOptions, type OneRosterRestSuiteOptions, SUITE_DEFAULTS, SuiteOptionError } from './options.js';
export { type CaseResult, formatTable, type SuiteReport } from './report.js';
export { type CommandIo, runOneRosterRestSuite, runOneRosterRestSuiteCommand } from './run-suite.js';
