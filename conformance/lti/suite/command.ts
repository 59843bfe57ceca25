import { type LtiToolSuiteOptions, SuiteSetupError } from './options.js';
import { formatReportJson, formatReportText, platformDetailsLines } from './report.js';
import { runLtiToolSuite } from './run-suite.js';

/** Where the command writes (process.stdout / process.stderr, or buffers in tests). */
export interface SuiteIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export const EXIT_ALL_PASSED = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_COULD_NOT_RUN = 2;

/**
 * `edhub conformance lti-tool` — what the CLI calls, returning the exit code: 0 every case passed, 1
 * some case failed, 2 the run could not happen (bad options, registration failed, tool unreachable).
 * The platform details go out before the cases run (to stderr with --json, so stdout is one JSON
 * document); then the report, as a table or as JSON.
 */
export async function runLtiToolSuiteCommand(options: LtiToolSuiteOptions, io: SuiteIo): Promise<number> {
  const details = options.json ? io.stderr : io.stdout;
  try {
    const report = await runLtiToolSuite({
      ...options,
      onPlatformReady: async (platform) => {
        details.write(`${platformDetailsLines(platform).join('\n')}\n\n`);
        await options.onPlatformReady?.(platform);
      },
    });
    io.stdout.write(options.json ? formatReportJson(report) : formatReportText(report));
    return report.totals.failed === 0 ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
  } catch (err) {
    const message = err instanceof SuiteSetupError ? err.message : `unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    io.stderr.write(`edhub conformance lti-tool: could not run: ${message}\n`);
    if (options.json) io.stdout.write(`${JSON.stringify({ error: { code: 'could-not-run', message } })}\n`);
    return EXIT_COULD_NOT_RUN;
  }
}
