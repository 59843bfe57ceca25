/** `edhub conformance lti-tool`: certification-style LTI 1.3 launches against any tool (see conformance/lti/README.md). */
export type { Expectation, SuiteCase } from './cases.js';
export { classify, judge, type Observation, type Outcome, visibleText } from './classify.js';
export { EXIT_ALL_PASSED, EXIT_COULD_NOT_RUN, EXIT_SOME_FAILED, runLtiToolSuiteCommand, type SuiteIo } from './command.js';
export { DEFAULT_TIMEOUT_MS, type LtiToolSuiteOptions, SuiteSetupError } from './options.js';
export { type CaseObserved, type CaseResult, formatReportJson, formatReportText, type LtiSuiteReport, type PlatformDetails } from './report.js';
export { runLtiToolSuite } from './run-suite.js';
