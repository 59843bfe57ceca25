import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../src/observability/logger.js';
import { projectRoot } from '../../../src/paths.js';
import type { DirectoryData } from './state/directory.js';
import type { ToolInput } from './state/tool-registry.js';

/**
 * Everything the platform emulator can be told, with its default. Validated by `resolveOptions`
 * before anything starts; every default is written here and nowhere else.
 */
export interface EmulatorOptions {
  /** TCP port. Default 0: a free port. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Base URL tools and browsers use, when it differs from http://host:port (a proxy). Default: http://host:port. */
  publicUrl?: string;
  /** The platform issuer (`iss`). Default: the base URL. */
  issuer?: string;
  /**
   * A JSON file holding the platform's RS256 private key as a JWK: loaded when it exists, otherwise
   * generated and written there (mode 0600). Keeps the issuer's key (and kid) across runs, for tools
   * registered by hand. Only the first key is kept: keys from rotateKeys() live in memory. Default: none
   * (a new key every start).
   */
  keyFile?: string;
  /** Users, contexts and resource links. Default: conformance/lti/default-directory.json. */
  directory?: DirectoryData;
  /** Tools registered by hand at start-up. Default: none. */
  tools?: ToolInput[];
  /** Platform identity sent in the tool_platform claim. */
  platform?: { name?: string; guid?: string; productFamilyCode?: string; version?: string; contactEmail?: string };
  /** id_token lifetime. Default 300 s (SEC: "a few minutes"). */
  idTokenTtlSeconds?: number;
  /** Service access token lifetime. Default 3600 s (Canvas and Moodle). */
  accessTokenTtlSeconds?: number;
  /** How long a started launch can be completed at the auth endpoint. Default 600 s. */
  launchTtlSeconds?: number;
  /** Lifetime of a Dynamic Registration token. Default 3600 s. */
  registrationTokenTtlSeconds?: number;
  /** Longest client-assertion lifetime accepted (exp − iat). Default 300 s (SEC §4.1.1: ≤ 5 min). */
  maxClientAssertionLifetimeSeconds?: number;
  /** Clock tolerance for client assertions and Deep Linking responses. Default 60 s. */
  clockToleranceSeconds?: number;
  /** Accept DR registration POSTs that carry no registration token. Default false. */
  openRegistration?: boolean;
  /** NRPS Content-Type: the current LTI media type, or the legacy lis.v2 one older Canvas/Moodle send. Default 'current'. */
  nrpsMediaType?: 'current' | 'legacy';
  /** Page size for NRPS and AGS when the request sets no `limit`. Default 100. */
  defaultPageSize?: number;
  /** Query parameters added to line item URLs (Moodle-like `{ type_id: '1' }`). Default none. */
  lineItemQuery?: Record<string, string>;
  /** Blackboard-like: refuse Deep Linking ltiResourceLink items without `url`. Default false. */
  requireResourceLinkUrl?: boolean;
  /** JWKS Cache-Control max-age. Default 300 s. */
  jwksMaxAgeSeconds?: number;
  /** Clock (ms since the epoch). Default Date.now. */
  now?: () => number;
  /** Structured log of every refusal (which check, why). Default: silent. */
  logger?: Logger;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  publicUrl?: string;
  issuer?: string;
  keyFile?: string;
  directory: DirectoryData;
  tools: ToolInput[];
  platform: { name: string; guid: string; productFamilyCode: string; version: string; contactEmail?: string };
  idTokenTtlSeconds: number;
  accessTokenTtlSeconds: number;
  launchTtlSeconds: number;
  registrationTokenTtlSeconds: number;
  maxClientAssertionLifetimeSeconds: number;
  clockToleranceSeconds: number;
  openRegistration: boolean;
  nrpsMediaType: 'current' | 'legacy';
  defaultPageSize: number;
  lineItemQuery: Record<string, string>;
  requireResourceLinkUrl: boolean;
  jwksMaxAgeSeconds: number;
  now: () => number;
  logger?: Logger;
}

export const DEFAULT_DIRECTORY_FILE = join(projectRoot, 'conformance/lti/default-directory.json');

export function loadDirectory(file: string): DirectoryData {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<DirectoryData>;
  if (!Array.isArray(data.users) || !Array.isArray(data.contexts) || !Array.isArray(data.resourceLinks)) {
    throw new Error(`${file}: a directory needs "users", "contexts" and "resourceLinks" arrays`);
  }
  return { users: data.users, contexts: data.contexts, resourceLinks: data.resourceLinks };
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const positive = (name: keyof EmulatorOptions, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`emulator option ${name} must be a positive number, got ${value}`);
    return v;
  };
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`emulator option port must be 0–65535, got ${options.port}`);
  for (const [name, url] of [
    ['publicUrl', options.publicUrl],
    ['issuer', options.issuer],
  ] as const) {
    if (url !== undefined && !URL.canParse(url)) throw new Error(`emulator option ${name} must be an absolute URL, got ${url}`);
  }
  if (options.keyFile !== undefined && (typeof options.keyFile !== 'string' || options.keyFile === ''))
    throw new Error('emulator option keyFile must be a file path');
  if (options.nrpsMediaType && !['current', 'legacy'].includes(options.nrpsMediaType))
    throw new Error('emulator option nrpsMediaType must be current or legacy');
  return {
    port,
    host: options.host ?? '127.0.0.1',
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    issuer: options.issuer,
    keyFile: options.keyFile,
    directory: options.directory ?? loadDirectory(DEFAULT_DIRECTORY_FILE),
    tools: options.tools ?? [],
    platform: {
      name: options.platform?.name ?? 'EdHub LTI platform emulator',
      guid: options.platform?.guid ?? 'edhub-platform-emulator',
      productFamilyCode: options.platform?.productFamilyCode ?? 'edhub-emulator',
      version: options.platform?.version ?? '1.0',
      contactEmail: options.platform?.contactEmail,
    },
    idTokenTtlSeconds: positive('idTokenTtlSeconds', options.idTokenTtlSeconds, 300),
    accessTokenTtlSeconds: positive('accessTokenTtlSeconds', options.accessTokenTtlSeconds, 3600),
    launchTtlSeconds: positive('launchTtlSeconds', options.launchTtlSeconds, 600),
    registrationTokenTtlSeconds: positive('registrationTokenTtlSeconds', options.registrationTokenTtlSeconds, 3600),
    maxClientAssertionLifetimeSeconds: positive('maxClientAssertionLifetimeSeconds', options.maxClientAssertionLifetimeSeconds, 300),
    clockToleranceSeconds: positive('clockToleranceSeconds', options.clockToleranceSeconds, 60),
    openRegistration: options.openRegistration ?? false,
    nrpsMediaType: options.nrpsMediaType ?? 'current',
    defaultPageSize: positive('defaultPageSize', options.defaultPageSize, 100),
    lineItemQuery: options.lineItemQuery ?? {},
    requireResourceLinkUrl: options.requireResourceLinkUrl ?? false,
    jwksMaxAgeSeconds: positive('jwksMaxAgeSeconds', options.jwksMaxAgeSeconds, 300),
    now: options.now ?? Date.now,
    logger: options.logger,
  };
}
