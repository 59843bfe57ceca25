import type { Command } from 'commander';
import { type LtiToolSuiteOptions, runLtiToolSuiteCommand } from '../../conformance/lti/suite/index.js';
import { type OneRosterRestCommandOptions, runOneRosterRestSuiteCommand } from '../../conformance/oneroster-rest/index.js';
import { repeatable } from './option-parsers.js';

/**
 * `edhub conformance …`: the conformance suites of conformance/, runnable against any server. Each
 * prints a pass/fail table (or JSON) and exits 0 when every case passed, 1 when some failed, 2 when
 * the run could not start. They need no EdHub database.
 */
export function addConformanceCommands(program: Command, fail: (err: unknown) => never): void {
  const conformance = program.command('conformance').description('conformance suites to run against any server (EdHub or another)');

  conformance
    .command('lti-tool')
    .description('certification-style LTI 1.3 launch cases against any tool, from the built-in platform emulator')
    .requiredOption('--login-url <url>', "the tool's OIDC login initiation URL")
    .requiredOption('--launch-url <url>', "the tool's redirect URI (repeat for several)", repeatable, [] as string[])
    .requiredOption('--jwks-url <url>', "the tool's key set URL")
    .option('--target-link-uri <url>', 'the target_link_uri of launches (default: the first launch URL, or what the tool registered)')
    .option('--registration-url <url>', "register the emulator through the tool's Dynamic Registration URL")
    .option('--client-id <id>', 'or: the client_id of a registration made by hand in the tool')
    .option('--deployment-id <id>', '… and its deployment id')
    .option('--emulator-host <addr>', 'address the emulator listens on', '127.0.0.1')
    .option('--emulator-port <n>', 'port the emulator listens on (0 = a free port)', '0')
    .option('--emulator-public-url <url>', 'the URL the tool reaches the emulator at (default http://host:port)')
    .option('--emulator-issuer <url>', 'the platform issuer (default: the public URL)')
    .option('--key-file <file.json>', "the emulator's RS256 key, created if missing and kept across runs (for registrations made by hand)")
    .option('--only <ids>', 'run only these case ids (comma-separated)')
    .option('--accept-text <regex>', 'a 2xx page must match this to count as an accepted launch')
    .option('--reject-text <regex>', 'a 2xx page matching this counts as a rejected launch')
    .option('--anonymous-launches', 'the tool offers anonymous launches: a launch without sub is expected to be accepted')
    .option('--timeout-ms <n>', 'time limit of each HTTP request', '10000')
    .option('--json', 'print the report as JSON')
    .action(async (o: LtiToolSuiteOptions) => {
      try {
        process.exit(await runLtiToolSuiteCommand(o, { stdout: process.stdout, stderr: process.stderr }));
      } catch (err) {
        fail(err);
      }
    });

  conformance
    .command('oneroster-rest')
    .description('check a OneRoster 1.1 or 1.2 REST provider: endpoints, payloads, paging, filters, errors, scopes, SDS and Google expectations')
    .requiredOption('--base-url <url>', "the provider's OneRoster root, e.g. https://host/ims/oneroster")
    .requiredOption('--client-id <id>', 'an OAuth 2.0 client id (or OAuth 1.0a consumer key) of the provider')
    .option('--client-secret <secret>', 'its secret (default: the EDHUB_CONFORMANCE_CLIENT_SECRET environment variable, kept out of shell history)')
    .option('--token-url <url>', 'the OAuth 2.0 token URL (default: {origin of --base-url}/oauth/token)')
    .option('--version <version>', '1.1 or 1.2', '1.2')
    .option('--auth <kind>', 'oauth2, or oauth1 (1.1 only)', 'oauth2')
    .option('--scopes <scopes>', 'scopes to request (default: none named, so the provider grants the client its own)')
    .option('--limited-client-id <id>', 'a second client holding only roster-core.readonly, for the 403 cases')
    .option('--limited-client-secret <secret>', 'its secret')
    .option('--writes', 'also run the gradebook PUT/DELETE cases (they change data on the provider and remove what they create)')
    .option('--only <ids>', 'run only these case ids or areas (comma-separated)')
    .option('--skip <ids>', 'skip these case ids or areas (comma-separated)')
    .option('--timeout-ms <n>', 'time limit of each request', (v: string) => Number(v))
    .option('--json', 'print the report as JSON')
    .action(async (o: Omit<OneRosterRestCommandOptions, 'clientSecret'> & { clientSecret?: string }) => {
      try {
        const clientSecret = o.clientSecret ?? process.env.EDHUB_CONFORMANCE_CLIENT_SECRET;
        if (!clientSecret) throw new Error('give --client-secret or set EDHUB_CONFORMANCE_CLIENT_SECRET');
        process.exit(await runOneRosterRestSuiteCommand({ ...o, clientSecret }, { stdout: process.stdout, stderr: process.stderr }));
      } catch (err) {
        fail(err);
      }
    });
}
