import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { OutboundHttp } from '../outbound/outbound-http.js';
import type { Registration } from '../registrations/registration.js';
import { createServiceTokens, type ServiceTokens } from './access-tokens.js';
import type { AssertionSigner } from './client-assertion.js';
import { ServiceCallLog, type ServiceCallLogOptions } from './service-call-log.js';
import { createServiceClient, type LtiServiceClient } from './service-client.js';

/**
 * The composition of the Advantage service clients: one token cache, one call log, and a client per
 * registration on demand. Built once per process from its dependencies (STYLE.md rule 7); the HTTP
 * goes through `outbound` — the LTI outbound client with the configured address policy and limits.
 */
export interface LtiServicesDeps {
  db: Kysely<Database>;
  outbound: OutboundHttp;
  /** The tool's keys (ToolKeys): client assertions are signed with the current key. */
  signer: AssertionSigner;
  logger: Logger;
  now: () => Date;
  tokenRefreshMarginSeconds?: number;
  callLog?: ServiceCallLogOptions;
}

export interface LtiServices {
  /** The service client of one registration (cheap: share or make one per use). */
  client(registration: Registration): LtiServiceClient;
  readonly tokens: ServiceTokens;
  readonly callLog: ServiceCallLog;
  /** Writes the call log's buffered rows; call before the process stops. */
  close(): Promise<void>;
}

export function createLtiServices(deps: LtiServicesDeps): LtiServices {
  const callLog = new ServiceCallLog(deps.db, deps.logger, deps.callLog);
  const tokens = createServiceTokens({
    outbound: deps.outbound,
    signer: deps.signer,
    recorder: callLog,
    now: deps.now,
    ...(deps.tokenRefreshMarginSeconds !== undefined ? { refreshMarginSeconds: deps.tokenRefreshMarginSeconds } : {}),
  });
  const clientDeps = { outbound: deps.outbound, tokens, recorder: callLog, now: deps.now };
  return {
    client: (registration) => createServiceClient(clientDeps, registration),
    tokens,
    callLog,
    close: () => callLog.flush(),
  };
}
