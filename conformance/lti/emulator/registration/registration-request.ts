import type { EmulatorContext } from '../context.js';

/** A tool's registration POST (DR §3.5; shared/standards/lti.md §10.3) as it reached the endpoint. */
export interface RegistrationRequest {
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

export interface RegistrationState {
  request: RegistrationRequest;
  /** The registration token presented, once checked. */
  token?: string;
  /** The body, once known to be a JSON object. */
  metadata?: Record<string, unknown>;
  /** The lti-tool-configuration block, once known to be an object. */
  toolConfiguration?: Record<string, unknown>;
}

export type RegistrationCheck = (ctx: EmulatorContext, state: RegistrationState) => void;

/** http(s) URL; plain http only on loopback hosts (the emulator's own test setting). */
export function isToolUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}
