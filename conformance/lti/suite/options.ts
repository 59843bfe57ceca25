import type { PlatformDetails } from './report.js';

/**
 * What `edhub conformance lti-tool` is told. Field names are the camel-cased flags, so the CLI can
 * hand commander's parsed options straight over; numbers may arrive as strings and repeatable or
 * comma-separated flags as a string or a list. Validated by `resolveSuiteOptions` before anything
 * starts.
 *
 * | field | flag | default |
 * |---|---|---|
 * | loginUrl | `--login-url <url>` (OIDC login initiation) | required |
 * | launchUrl | `--launch-url <url>` (redirect_uri; repeatable) | required |
 * | jwksUrl | `--jwks-url <url>` | required |
 * | targetLinkUri | `--target-link-uri <url>` | the first launch URL (by hand) or what the tool registered (DR) |
 * | registrationUrl | `--registration-url <url>` (Dynamic Registration) | — one of this or clientId + deploymentId |
 * | clientId, deploymentId | `--client-id <id> --deployment-id <id>` (a registration made by hand in the tool) | — |
 * | emulatorHost | `--emulator-host <addr>` | 127.0.0.1 |
 * | emulatorPort | `--emulator-port <n>` | 0 (a free port) |
 * | emulatorPublicUrl | `--emulator-public-url <url>` | http://host:port |
 * | emulatorIssuer | `--emulator-issuer <url>` | the public URL |
 * | keyFile | `--key-file <file.json>` (the emulator's RS256 key, kept across runs) | a new key each run |
 * | only | `--only id,id` | every case |
 * | acceptText | `--accept-text <regex>` (a 2xx page must match it to count as accepted) | any 2xx |
 * | rejectText | `--reject-text <regex>` (a 2xx page matching it counts as rejected) | none |
 * | anonymousLaunches | `--anonymous-launches` (the tool offers anonymous launches: missing-sub expects accept) | off |
 * | timeoutMs | `--timeout-ms <n>` (per HTTP request) | 10000 |
 * | json | `--json` | text table |
 */
export interface LtiToolSuiteOptions {
  loginUrl: string;
  launchUrl: string | string[];
  jwksUrl: string;
  targetLinkUri?: string;
  registrationUrl?: string;
  clientId?: string;
  deploymentId?: string;
  emulatorHost?: string;
  emulatorPort?: number | string;
  emulatorPublicUrl?: string;
  emulatorIssuer?: string;
  keyFile?: string;
  only?: string | string[];
  acceptText?: string;
  rejectText?: string;
  anonymousLaunches?: boolean;
  timeoutMs?: number | string;
  json?: boolean;
  /**
   * Programmatic only: called once the emulator holds the tool's registration, before any case runs
   * (tests use it to register the emulator in the tool by hand).
   */
  onPlatformReady?: (platform: PlatformDetails) => Promise<void> | void;
}

export type Registration = { kind: 'dynamic-registration'; registrationUrl: string } | { kind: 'hand'; clientId: string; deploymentId: string };

export interface ResolvedSuiteOptions {
  loginUrl: string;
  launchUrls: string[];
  jwksUrl: string;
  targetLinkUri?: string;
  registration: Registration;
  emulator: { host: string; port: number; publicUrl?: string; issuer?: string; keyFile?: string };
  only: string[];
  acceptText?: RegExp;
  rejectText?: RegExp;
  anonymousLaunches: boolean;
  timeoutMs: number;
  onPlatformReady?: LtiToolSuiteOptions['onPlatformReady'];
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Longest id a platform may use for client_id and deployment_id (fact sheet §4.3). */
const ID_MAX_LENGTH = 255;

/** The run cannot start: bad options, a failed registration, an unreachable tool (exit code 2). */
export class SuiteSetupError extends Error {
  override readonly name = 'SuiteSetupError';
}

export function resolveSuiteOptions(o: LtiToolSuiteOptions): ResolvedSuiteOptions {
  const loginUrl = httpUrl('--login-url', o.loginUrl);
  const launchUrls = (Array.isArray(o.launchUrl) ? o.launchUrl : o.launchUrl === undefined ? [] : [o.launchUrl]).map((u) => httpUrl('--launch-url', u));
  if (launchUrls.length === 0) throw new SuiteSetupError('--launch-url is required (the tool’s redirect_uri; repeat it for several)');
  const jwksUrl = httpUrl('--jwks-url', o.jwksUrl);
  const targetLinkUri = o.targetLinkUri === undefined ? undefined : httpUrl('--target-link-uri', o.targetLinkUri);
  const registration = resolveRegistration(o);
  const host = o.emulatorHost ?? '127.0.0.1';
  if (typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]{1,253}$/.test(host))
    throw new SuiteSetupError(`--emulator-host must be a host name or address, got ${String(host)}`);
  const port = integer('--emulator-port', o.emulatorPort ?? 0, 0, 65_535);
  return {
    loginUrl,
    launchUrls,
    jwksUrl,
    targetLinkUri,
    registration,
    emulator: {
      host,
      port,
      publicUrl: o.emulatorPublicUrl === undefined ? undefined : httpUrl('--emulator-public-url', o.emulatorPublicUrl),
      issuer: o.emulatorIssuer === undefined ? undefined : httpUrl('--emulator-issuer', o.emulatorIssuer),
      keyFile: o.keyFile === undefined || o.keyFile === '' ? undefined : o.keyFile,
    },
    only: list(o.only),
    acceptText: pattern('--accept-text', o.acceptText),
    rejectText: pattern('--reject-text', o.rejectText),
    anonymousLaunches: o.anonymousLaunches === true,
    timeoutMs: integer('--timeout-ms', o.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 600_000),
    onPlatformReady: o.onPlatformReady,
  };
}

function resolveRegistration(o: LtiToolSuiteOptions): Registration {
  const byHand = o.clientId !== undefined || o.deploymentId !== undefined;
  if (o.registrationUrl !== undefined && byHand) {
    throw new SuiteSetupError(
      'give either --registration-url (Dynamic Registration) or --client-id and --deployment-id (a registration made by hand), not both',
    );
  }
  if (o.registrationUrl !== undefined) return { kind: 'dynamic-registration', registrationUrl: httpUrl('--registration-url', o.registrationUrl) };
  if (!byHand) throw new SuiteSetupError('say how the tool is registered: --registration-url <url>, or --client-id <id> --deployment-id <id>');
  return { kind: 'hand', clientId: identifier('--client-id', o.clientId), deploymentId: identifier('--deployment-id', o.deploymentId) };
}

function identifier(flag: string, value: string | undefined): string {
  if (typeof value !== 'string' || value === '') throw new SuiteSetupError(`${flag} is required with a registration made by hand`);
  if (value.length > ID_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new SuiteSetupError(`${flag} must be 1–${ID_MAX_LENGTH} printable ASCII characters without spaces`);
  }
  return value;
}

function httpUrl(flag: string, value: unknown): string {
  if (value === undefined || value === '') throw new SuiteSetupError(`${flag} is required`);
  if (typeof value !== 'string' || value.length > 2048 || !URL.canParse(value))
    throw new SuiteSetupError(`${flag} must be an absolute URL, got ${String(value).slice(0, 200)}`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SuiteSetupError(`${flag} must be an http(s) URL, got ${url.protocol}`);
  // As given, not normalised: the emulator compares redirect URIs exactly, as platforms do.
  return value;
}

function integer(flag: string, value: number | string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new SuiteSetupError(`${flag} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  return n;
}

function pattern(flag: string, source: string | undefined): RegExp | undefined {
  if (source === undefined || source === '') return undefined;
  try {
    return new RegExp(source);
  } catch (err) {
    throw new SuiteSetupError(`${flag} is not a valid regular expression: ${(err as Error).message}`);
  }
}

/** A repeatable or comma-separated flag (case ids) as a list of non-empty values. */
function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
