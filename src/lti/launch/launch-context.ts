import type { CryptoKey } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Claims } from '../claims.js';
import type { PlatformKeySets } from '../keys/platform-key-sets.js';
import type { LoginStateRow } from '../login/login-states.js';
import type { Registration } from '../registrations/registration.js';

/** What a launch POST carries, as plain values (fact sheet §2.2: form_post of id_token and state). */
export interface LaunchInput {
  idToken: unknown;
  state: unknown;
  /** PM-S: the platform's storage frame, sent with the launch when it supports postMessage storage. */
  storageTarget: unknown;
  /** The state as EdHub's own verification page read it back from platform storage. */
  storageState: unknown;
  cookieHeader: string | undefined;
  origin: string | undefined;
}

export interface LaunchDeps {
  db: Kysely<Database>;
  now: () => Date;
  baseUrl: string;
  keySets: PlatformKeySets;
  clockToleranceSeconds: number;
  idTokenMaxAgeSeconds: number;
  allowAnonymousLaunches: boolean;
}

export interface DecodedToken {
  compact: string;
  header: Record<string, unknown>;
  /** Decoded before the signature check; trusted only after check "signature". */
  claims: Claims;
}

/** Filled in by the checks, in order; each check reads only what earlier checks provided. */
export interface LaunchContext {
  input: LaunchInput;
  state?: string;
  login?: LoginStateRow;
  registration?: Registration;
  token?: DecodedToken;
  kid?: string;
  key?: CryptoKey;
  messageType?: string;
  deploymentId?: string;
  /** The deployment is new and the registration's policy registers it (fact sheet §13). */
  autoRegisterDeployment?: boolean;
  roles?: string[];
  /** null: an anonymous launch (allowed by configuration). */
  sub?: string | null;
  targetLinkUri?: string | null;
}

/** Check 1 may stop the pipeline: cookies are blocked, so the browser must read the state from platform storage first. */
export interface BrowserStateCheck {
  state: string;
  idToken: string;
  storageTarget: string;
  platformOrigin: string;
  key: string;
}

/** A launch that passed every check. */
export interface ValidLaunch {
  state: string;
  registration: Registration;
  claims: Claims;
  messageType: string;
  deploymentId: string;
  autoRegisterDeployment: boolean;
  roles: string[];
  sub: string | null;
  targetLinkUri: string | null;
}
