import type { JSONWebKeySet } from 'jose';
import { type EmulatorOptions, type LtiEmulator, startLtiEmulator, type ToolRegistration } from '../../../../conformance/lti/emulator/index.js';
import type { TenantId } from '../../../tenancy/ids.js';
import { createTenant } from '../../../tenancy/tenants.js';
import { type TestApp, testApp } from '../../../testing/test-app.js';
import { ToolKeys } from '../../keys/tool-keys.js';
import { createAddressPolicy } from '../../outbound/address-policy.js';
import { createOutboundHttp, type OutboundHttp } from '../../outbound/outbound-http.js';
import { createPlatform } from '../../registrations/platforms.js';
import { loadRegistration, type Registration } from '../../registrations/registration.js';
import { createLtiServices, type LtiServices } from '../lti-services.js';
import { type LoggedServiceCall, listServiceCalls } from '../service-call-log.js';
import type { LtiServiceClient } from '../service-client.js';

/**
 * EdHub's tool side wired to the platform emulator for the service tests: a fresh database, the tool's
 * signing key (ToolKeys, in the vault), the emulator with that key's public JWK registered as a tool,
 * a tenant with a platform registration pointing at the emulator, and the service clients over the
 * real outbound client (loopback allowed). One clock moves both sides (`advance`).
 */
export interface ServicesHarness {
  t: TestApp;
  emulator: LtiEmulator;
  tool: ToolRegistration;
  tenantId: TenantId;
  registration: Registration;
  toolKeys: ToolKeys;
  outbound: OutboundHttp;
  services: LtiServices;
  now(): Date;
  advance(ms: number): void;
  client(registration?: Registration): LtiServiceClient;
  /** Registers another platform in the tenant (another emulator tool, or any server) and returns it. */
  register(input: { clientId: string; tokenUrl: string; tokenAudience?: string; issuer?: string }): Promise<Registration>;
  /** The tenant's logged service calls, oldest first (the log is flushed first). */
  calls(): Promise<LoggedServiceCall[]>;
  /** Fresh service clients (an empty token cache) over the same database and keys. */
  freshServices(): LtiServices;
  close(): Promise<void>;
}

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  /** Scopes the emulator grants the tool (default: all). */
  scopes?: string[];
  maxResponseBytes?: number;
}

export const COURSE = 'course-101';
export const LINK = 'rl-week-1';

export async function startServicesHarness(options: HarnessOptions = {}): Promise<ServicesHarness> {
  const t = await testApp();
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const emulator = await startLtiEmulator({ now: () => Date.now() + offsetMs, ...options.emulator });
  const toolKeys = new ToolKeys(t.database.db, t.vault, now);
  const tool = emulator.registerTool({
    name: 'EdHub',
    initiateLoginUri: 'http://127.0.0.1:9/lti/login',
    redirectUris: ['http://127.0.0.1:9/lti/launch'],
    jwks: (await toolKeys.jwks()) as JSONWebKeySet,
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
  const tenant = await createTenant(t.database.db, t.ctx, 'Services School');
  const tenantId = tenant.id as TenantId;
  const outbound = createOutboundHttp(createAddressPolicy({ outboundAllow: ['127.0.0.1'], outboundDeny: [] }), {
    timeoutMs: 5000,
    maxResponseBytes: options.maxResponseBytes ?? 1 << 20,
  });
  const makeServices = () => createLtiServices({ db: t.database.db, outbound, signer: toolKeys, logger: t.logger, now });
  const made: LtiServices[] = [];
  const freshServices = () => {
    const s = makeServices();
    made.push(s);
    return s;
  };
  const services = freshServices();

  const register: ServicesHarness['register'] = async (input) => {
    const created = await createPlatform(t.database.db, t.ctx, tenantId, {
      name: `Platform ${input.clientId}`,
      issuer: input.issuer ?? emulator.issuer,
      clientId: input.clientId,
      authUrl: emulator.endpoints.authorization,
      tokenUrl: input.tokenUrl,
      ...(input.tokenAudience ? { tokenAudience: input.tokenAudience } : {}),
      jwksUrl: emulator.endpoints.jwks,
      deployments: ['deployment-1'],
    });
    return (await loadRegistration(t.database.db, created.id)) as Registration;
  };
  const registration = await register({ clientId: tool.clientId, tokenUrl: emulator.endpoints.token });

  return {
    t,
    emulator,
    tool,
    tenantId,
    registration,
    toolKeys,
    outbound,
    services,
    now,
    advance: (ms) => {
      offsetMs += ms;
    },
    client: (r = registration) => services.client(r),
    register,
    async calls() {
      await Promise.all(made.map((s) => s.close()));
      return (await listServiceCalls(t.database.db, tenantId, { limit: 100_000 })).reverse();
    },
    freshServices,
    async close() {
      await Promise.all(made.map((s) => s.close()));
      await emulator.close();
      await t.close();
    },
  };
}

/** Everything an async iterable yields (tests only: real callers consume page by page). */
export async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}
