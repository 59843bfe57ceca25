import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '../../../src/observability/logger.js';
import type { EmulatorContext } from './context.js';
import type { DeepLinkingResult } from './deep-linking/deep-linking-result.js';
import { type PlatformEndpoints, platformEndpoints } from './endpoints.js';
import { emulatorRouter } from './http/router.js';
import { loadOrCreateSigningKey } from './keys/key-file.js';
import { KeyRing } from './keys/key-ring.js';
import { createLaunch, type LaunchInput, type LaunchTicket } from './launch/create-launch.js';
import { type EmulatorOptions, resolveOptions } from './options.js';
import { RegistrationTokens } from './registration/registration-tokens.js';
import { startDynamicRegistration } from './registration/start-registration.js';
import { type LineItem, type LineItemFields, LineItemStore, type StoredScore } from './services/ags/line-item-store.js';
import { Directory } from './state/directory.js';
import { LaunchBook } from './state/launches.js';
import { SingleUseLedger } from './state/single-use.js';
import { type ToolInput, type ToolRegistration, ToolRegistry } from './state/tool-registry.js';
import { type Tamper, TamperTable } from './tamper/tamper-table.js';
import { AccessTokens } from './token/access-tokens.js';
import { ToolKeys } from './token/tool-keys.js';
import { ALL_SCOPES } from './vocabulary.js';

/** A running platform emulator, driven by tests (and by `edhub lti emulator`). */
export interface LtiEmulator {
  /** Base URL (also the console page). */
  readonly url: string;
  readonly issuer: string;
  readonly endpoints: PlatformEndpoints;
  /** Users, contexts and resource links (add people, enrol, drop — NRPS reports the differences). */
  readonly directory: Directory;
  /** Registers a tool by hand; allocates client_id and a deployment when not given. */
  registerTool(input: ToolInput): ToolRegistration;
  tool(clientId: string): ToolRegistration | undefined;
  tools(): ToolRegistration[];
  addDeployment(clientId: string, deploymentId?: string): string;
  /** Starts a launch: the returned loginUrl is where a browser goes next. */
  launch(input: LaunchInput): Promise<LaunchTicket>;
  launchUrl(input: LaunchInput): Promise<string>;
  /** DR §3.3: the URL to open the tool's registration page with (openid_configuration + a one-time registration_token). */
  startDynamicRegistration(toolRegistrationUrl: string): { url: string; registrationToken: string };
  createLineItem(contextId: string, clientId: string, fields: LineItemFields): LineItem & { url: string };
  lineItems(contextId: string, clientId: string): LineItem[];
  scores(lineItemId: string): StoredScore[];
  deepLinkingResults(): DeepLinkingResult[];
  tampers(): Tamper[];
  jwks(): { keys: Record<string, unknown>[] };
  /** Key rotation: a new key signs from now on; the old one stays published until retired. Returns the new kid. */
  rotateKeys(): Promise<string>;
  retireKey(kid: string): boolean;
  /** Ends the access tokens of one tool (or all): the "expired access token" knob. */
  expireAccessTokens(clientId?: string): number;
  /** How many token endpoint requests arrived (granted or refused): from one tool, or in all. */
  tokenRequests(clientId?: string): number;
  close(): Promise<void>;
}

export async function startLtiEmulator(options: EmulatorOptions = {}): Promise<LtiEmulator> {
  const resolved = resolveOptions(options);
  // Before listening: a bad key file must not leave a server behind.
  const fileKey = resolved.keyFile ? await loadOrCreateSigningKey(resolved.keyFile) : undefined;
  const server = createServer();
  // Above fetch's 1 s margin under the hint, so tools reuse connections (a new TCP connection per service call otherwise).
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const base = resolved.publicUrl ?? `http://${host}:${port}`;
  const now = resolved.now;

  const ctx: EmulatorContext = {
    options: resolved,
    endpoints: platformEndpoints(base, resolved.issuer ?? base, resolved.lineItemQuery),
    keys: await KeyRing.create(fileKey),
    tools: new ToolRegistry(ALL_SCOPES),
    toolKeys: new ToolKeys(),
    directory: new Directory(resolved.directory, now),
    launches: new LaunchBook(now, resolved.launchTtlSeconds * 1000),
    deliveredNonces: new Map(),
    clientAssertionJtis: new SingleUseLedger(now),
    deepLinkingNonces: new SingleUseLedger(now),
    registrationTokens: new RegistrationTokens(now, resolved.registrationTokenTtlSeconds * 1000),
    accessTokens: new AccessTokens(now),
    lineItems: new LineItemStore(),
    deepLinkingResults: [],
    tampers: TamperTable.load(),
    now,
    logger: resolved.logger ?? createLogger('silent'),
  };
  for (const tool of resolved.tools) ctx.tools.register(tool);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(emulatorRouter(ctx));
  server.on('request', app);
  ctx.logger.info({ url: base, issuer: ctx.endpoints.issuer }, 'lti emulator: listening');

  return {
    url: base,
    issuer: ctx.endpoints.issuer,
    endpoints: ctx.endpoints,
    directory: ctx.directory,
    registerTool: (input) => ctx.tools.register(input),
    tool: (clientId) => ctx.tools.get(clientId),
    tools: () => ctx.tools.list(),
    addDeployment: (clientId, deploymentId) => ctx.tools.addDeployment(clientId, deploymentId),
    launch: (input) => createLaunch(ctx, input),
    launchUrl: async (input) => (await createLaunch(ctx, input)).loginUrl,
    startDynamicRegistration: (url) => startDynamicRegistration(ctx, url),
    createLineItem: (contextId, clientId, fields) => {
      if (!ctx.directory.context(contextId)) throw new Error(`unknown context ${contextId}`);
      const item = ctx.lineItems.create(contextId, clientId, fields);
      return { ...item, url: ctx.endpoints.lineItem(contextId, item.id) };
    },
    lineItems: (contextId, clientId) => ctx.lineItems.list(contextId, clientId, {}),
    scores: (lineItemId) => ctx.lineItems.scoresOf(lineItemId),
    deepLinkingResults: () => [...ctx.deepLinkingResults],
    tampers: () => ctx.tampers.list(),
    jwks: () => ctx.keys.jwks() as { keys: Record<string, unknown>[] },
    rotateKeys: async () => (await ctx.keys.rotate()).kid,
    retireKey: (kid) => ctx.keys.retire(kid),
    expireAccessTokens: (clientId) => ctx.accessTokens.expireAll(clientId),
    tokenRequests: (clientId) => ctx.accessTokens.requestCount(clientId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
