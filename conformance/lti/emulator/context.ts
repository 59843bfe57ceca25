import type { Logger } from '../../../src/observability/logger.js';
import type { DeepLinkingResult } from './deep-linking/deep-linking-result.js';
import type { PlatformEndpoints } from './endpoints.js';
import type { KeyRing } from './keys/key-ring.js';
import type { ResolvedOptions } from './options.js';
import type { RegistrationTokens } from './registration/registration-tokens.js';
import type { LineItemStore } from './services/ags/line-item-store.js';
import type { Directory } from './state/directory.js';
import type { LaunchBook } from './state/launches.js';
import type { SingleUseLedger } from './state/single-use.js';
import type { ToolRegistry } from './state/tool-registry.js';
import type { TamperTable } from './tamper/tamper-table.js';
import type { AccessTokens } from './token/access-tokens.js';
import type { ToolKeys } from './token/tool-keys.js';

/**
 * One emulated platform: its configuration, keys and state. Every protocol function receives it as an
 * argument — there is no module-level state, so any number of emulators can run side by side.
 */
export interface EmulatorContext {
  options: ResolvedOptions;
  endpoints: PlatformEndpoints;
  keys: KeyRing;
  tools: ToolRegistry;
  toolKeys: ToolKeys;
  directory: Directory;
  launches: LaunchBook;
  /** The nonce of the last id_token delivered to each tool (client_id), for the replayed-nonce tamper. */
  deliveredNonces: Map<string, string>;
  clientAssertionJtis: SingleUseLedger;
  /** Nonces of Deep Linking responses already accepted (a response JWT is good once). */
  deepLinkingNonces: SingleUseLedger;
  registrationTokens: RegistrationTokens;
  accessTokens: AccessTokens;
  lineItems: LineItemStore;
  deepLinkingResults: DeepLinkingResult[];
  tampers: TamperTable;
  now: () => number;
  logger: Logger;
}
