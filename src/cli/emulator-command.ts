import { type Command, InvalidArgumentError } from 'commander';
import { type EmulatorCommandOptions, runEmulatorCommand } from '../../conformance/lti/emulator/run-emulator-command.js';
import { portOption, repeatable } from './option-parsers.js';

/** `type_id=1&x=y` → { type_id: '1', x: 'y' }. */
function queryPairs(value: string): Record<string, string> {
  const pairs = [...new URLSearchParams(value)];
  if (pairs.length === 0) throw new InvalidArgumentError('must be name=value pairs, like type_id=1');
  return Object.fromEntries(pairs);
}

interface EmulatorFlags {
  port: number;
  host?: string;
  publicUrl?: string;
  issuer?: string;
  directory?: string;
  nrpsMediaType?: string;
  lineItemQuery?: Record<string, string>;
  requireResourceLinkUrl?: boolean;
  openRegistration?: boolean;
  toolLoginUrl?: string;
  toolLaunchUrl: string[];
  toolJwksUrl?: string;
  toolTargetLinkUri?: string;
  toolClientId?: string;
  toolDeploymentId?: string;
  toolName?: string;
  toolRegistrationUrl?: string;
  keyFile?: string;
  logLevel: string;
}

/** The flags mapped onto runEmulatorCommand's options (exported for the CLI test). */
export function emulatorOptions(o: EmulatorFlags): EmulatorCommandOptions {
  if (o.nrpsMediaType !== undefined && o.nrpsMediaType !== 'current' && o.nrpsMediaType !== 'legacy') {
    throw new InvalidArgumentError('--nrps-media-type must be current or legacy');
  }
  return {
    port: o.port,
    host: o.host,
    publicUrl: o.publicUrl,
    issuer: o.issuer,
    directoryFile: o.directory,
    nrpsMediaType: o.nrpsMediaType,
    lineItemQuery: o.lineItemQuery,
    requireResourceLinkUrl: o.requireResourceLinkUrl,
    openRegistration: o.openRegistration,
    tool: o.toolLoginUrl
      ? {
          loginUrl: o.toolLoginUrl,
          redirectUris: o.toolLaunchUrl,
          jwksUrl: o.toolJwksUrl,
          targetLinkUri: o.toolTargetLinkUri,
          clientId: o.toolClientId,
          deploymentId: o.toolDeploymentId,
          name: o.toolName,
        }
      : undefined,
    toolRegistrationUrl: o.toolRegistrationUrl,
    keyFile: o.keyFile,
    logLevel: o.logLevel,
  };
}

/**
 * `edhub lti emulator`: the built-in LTI 1.3 platform (conformance/lti/emulator), served until
 * Ctrl-C. It needs no database: its state is in memory, for testing tools by hand.
 */
export function addEmulatorCommand(lti: Command, fail: (err: unknown) => never): void {
  lti
    .command('emulator')
    .description('serve the built-in LTI 1.3 platform emulator (an LMS stand-in) to launch and test any tool by hand')
    .option('--port <n>', 'port to listen on (0 = any free port)', portOption, 8730)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--public-url <url>', 'the URL tools reach the emulator at (default http://host:port)')
    .option('--issuer <url>', 'the platform issuer (default: the public URL)')
    .option('--directory <file.json>', 'users, contexts and resource links (default conformance/lti/default-directory.json)')
    .option('--nrps-media-type <type>', 'current, or legacy (the older membership container media type)')
    .option('--line-item-query <pairs>', 'Moodle-like line item URLs, e.g. type_id=1', queryPairs)
    .option('--require-resource-link-url', 'Blackboard-like Deep Linking: refuse ltiResourceLink items without url')
    .option('--open-registration', 'accept Dynamic Registration without a registration token')
    .option('--tool-login-url <url>', 'register one tool by hand: its OIDC login initiation URL')
    .option('--tool-launch-url <url>', "the tool's redirect URI (repeat for several)", repeatable, [] as string[])
    .option('--tool-jwks-url <url>', "the tool's key set URL (required with --tool-login-url)")
    .option('--tool-target-link-uri <url>', 'the default target_link_uri')
    .option('--tool-client-id <id>', 'the client_id to give the tool (default: generated)')
    .option('--tool-deployment-id <id>', 'the deployment id (default: generated)')
    .option('--tool-name <name>', 'a label for the tool')
    .option('--tool-registration-url <url>', "the tool's Dynamic Registration URL: prints the URL that starts registration")
    .option(
      '--key-file <file.json>',
      'keep the signing key in this file (created if missing), so tools registered by hand keep trusting the emulator across restarts',
    )
    .option('--log-level <level>', 'log level', 'info')
    .action(async (o: EmulatorFlags) => {
      try {
        const emulator = await runEmulatorCommand(emulatorOptions(o));
        const stop = () => void emulator.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        fail(err);
      }
    });
}
