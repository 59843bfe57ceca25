import { createLogger } from '../../../src/observability/logger.js';
import { loadDirectory } from './options.js';
import { type LtiEmulator, startLtiEmulator } from './start-emulator.js';

/**
 * `edhub lti emulator` — what the CLI calls. Every option is optional:
 *
 * | option | flag | default |
 * |---|---|---|
 * | port | `--port <n>` | 8730 (0 = any free port) |
 * | host | `--host <addr>` | 127.0.0.1 |
 * | publicUrl | `--public-url <url>` | http://host:port |
 * | issuer | `--issuer <url>` | the public URL |
 * | keyFile | `--key-file <file.json>` (the platform's RS256 private JWK: loaded, or created there) | a new key each start |
 * | directoryFile | `--directory <file.json>` | conformance/lti/default-directory.json |
 * | nrpsMediaType | `--nrps-media-type current\|legacy` | current |
 * | lineItemQuery | `--line-item-query type_id=1` (Moodle-like line item URLs) | none |
 * | requireResourceLinkUrl | `--require-resource-link-url` (Blackboard-like Deep Linking) | off |
 * | openRegistration | `--open-registration` (accept DR without a registration token) | off |
 * | tool.loginUrl | `--tool-login-url <url>` — registers one tool by hand at start-up | — |
 * | tool.redirectUris | `--tool-launch-url <url>` (repeatable) | the login URL's origin + `/` |
 * | tool.jwksUrl | `--tool-jwks-url <url>` | required with --tool-login-url |
 * | tool.targetLinkUri | `--tool-target-link-uri <url>` | the first launch URL |
 * | tool.clientId | `--tool-client-id <id>` | generated |
 * | tool.deploymentId | `--tool-deployment-id <id>` | generated |
 * | tool.name | `--tool-name <name>` | "LTI tool" |
 * | toolRegistrationUrl | `--tool-registration-url <url>` — prints the Dynamic Registration URL to open | — |
 * | logLevel | `--log-level <level>` | info |
 *
 * Resolves once the emulator listens, having printed its URL, the platform details a tool needs
 * and any tool registered; the emulator runs until `close()` or until `signal` aborts.
 */
export interface EmulatorCommandOptions {
  port?: number;
  host?: string;
  publicUrl?: string;
  issuer?: string;
  keyFile?: string;
  directoryFile?: string;
  nrpsMediaType?: 'current' | 'legacy';
  lineItemQuery?: Record<string, string>;
  requireResourceLinkUrl?: boolean;
  openRegistration?: boolean;
  tool?: {
    loginUrl: string;
    redirectUris?: string[];
    jwksUrl?: string;
    targetLinkUri?: string;
    clientId?: string;
    deploymentId?: string;
    name?: string;
  };
  toolRegistrationUrl?: string;
  logLevel?: string;
  /** Where the summary lines go. Default: standard output. */
  print?: (line: string) => void;
  signal?: AbortSignal;
}

export const DEFAULT_EMULATOR_PORT = 8730;

export async function runEmulatorCommand(options: EmulatorCommandOptions = {}): Promise<LtiEmulator> {
  const print = options.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  if (options.tool && !options.tool.jwksUrl) throw new Error('--tool-jwks-url is required with --tool-login-url');
  const emulator = await startLtiEmulator({
    port: options.port ?? DEFAULT_EMULATOR_PORT,
    host: options.host,
    publicUrl: options.publicUrl,
    issuer: options.issuer,
    keyFile: options.keyFile,
    directory: options.directoryFile ? loadDirectory(options.directoryFile) : undefined,
    nrpsMediaType: options.nrpsMediaType,
    lineItemQuery: options.lineItemQuery,
    requireResourceLinkUrl: options.requireResourceLinkUrl,
    openRegistration: options.openRegistration,
    logger: createLogger(options.logLevel ?? 'info'),
  });
  options.signal?.addEventListener('abort', () => void emulator.close(), { once: true });

  const e = emulator.endpoints;
  print(`LTI 1.3 platform emulator: ${emulator.url}  (open it in a browser to launch tools)`);
  print(`  issuer                 ${e.issuer}`);
  print(`  OIDC auth endpoint     ${e.authorization}`);
  print(`  token endpoint         ${e.token}`);
  print(`  JWKS                   ${e.jwks}`);
  if (options.keyFile) print(`  signing key            ${emulator.jwks().keys[0]?.kid} (kept in ${options.keyFile})`);
  print(`  OpenID configuration   ${e.openidConfiguration}`);
  if (options.tool) {
    const t = options.tool;
    const tool = emulator.registerTool({
      name: t.name,
      clientId: t.clientId,
      initiateLoginUri: t.loginUrl,
      redirectUris: t.redirectUris?.length ? t.redirectUris : [`${new URL(t.loginUrl).origin}/`],
      jwksUri: t.jwksUrl,
      targetLinkUri: t.targetLinkUri,
      deployments: t.deploymentId ? [t.deploymentId] : undefined,
    });
    print(`  tool registered        client_id ${tool.clientId}, deployment ${tool.deployments[0]}`);
  }
  if (options.toolRegistrationUrl) {
    print(`  Dynamic Registration   open ${emulator.startDynamicRegistration(options.toolRegistrationUrl).url}`);
  }
  return emulator;
}
