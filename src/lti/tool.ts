import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EdhubConfig } from '../generated/config.js';
import { bearerToken } from '../oauth/bearer-token.js';
import type { Logger } from '../observability/logger.js';
import type { Vault } from '../security/vault.js';
import { confirmRegistration, type RegistrationDeps, startRegistration } from './dynamic-registration/index.js';
import { LtiError } from './errors.js';
import type { LtiRequest, LtiResponse } from './http-types.js';
import { JWKS_MAX_AGE_SECONDS } from './keys/key-schedule.js';
import { createPlatformKeySets } from './keys/platform-key-sets.js';
import { ToolKeys } from './keys/tool-keys.js';
import { runLaunchChecks } from './launch/index.js';
import type { LaunchDeps } from './launch/launch-context.js';
import { runLogin } from './login/index.js';
import { clearStateCookie } from './login/state-binding.js';
import { createAddressPolicy } from './outbound/address-policy.js';
import { createOutboundHttp, type OutboundHttp } from './outbound/outbound-http.js';
import { landingPage } from './pages/landing-page.js';
import { launchStoragePage, loginStoragePage } from './pages/platform-storage-pages.js';
import { failureResponse } from './respond.js';
import { loadLaunchSession } from './session/launch-session.js';
import { LaunchTokens } from './session/launch-tokens.js';
import { recordLaunch } from './session/record-launch.js';
import { toolUrls } from './target-link.js';

export interface LtiToolDeps {
  db: Kysely<Database>;
  vault: Vault;
  config: EdhubConfig;
  logger: Logger;
  now: () => Date;
  /** Outbound HTTP; by default global fetch under the configured address policy and limits. */
  outbound?: OutboundHttp;
}

/** The LTI 1.3 tool's endpoints, each a function from a plain request to a plain response. */
export interface LtiTool {
  jwks(req: LtiRequest): Promise<LtiResponse>;
  login(req: LtiRequest): Promise<LtiResponse>;
  launch(req: LtiRequest): Promise<LtiResponse>;
  landing(req: LtiRequest): Promise<LtiResponse>;
  session(req: LtiRequest): Promise<LtiResponse>;
  registrationStart(token: string, req: LtiRequest): Promise<LtiResponse>;
  registrationConfirm(token: string, req: LtiRequest): Promise<LtiResponse>;
  /** For failures the HTTP shell meets before a handler runs (an oversized or unreadable body). */
  failure(err: LtiError, req: LtiRequest): LtiResponse;
  readonly toolKeys: ToolKeys;
}

/**
 * Composition of the tool: one key-set cache, one key store, one launch-token signer per app, built
 * from the dependencies given (STYLE.md rule 7). Holds no request state: state, nonces, sessions and
 * keys live in the database, so any instance finishes what another began.
 */
export function createLtiTool(deps: LtiToolDeps): LtiTool {
  const { db, config, logger, now } = deps;
  const baseUrl = config.baseUrl ?? `http://localhost:${config.port}`;
  const urls = toolUrls(baseUrl);
  const outbound =
    deps.outbound ??
    createOutboundHttp(createAddressPolicy(config), { timeoutMs: config.outboundTimeoutMs, maxResponseBytes: config.outboundMaxResponseBytes });
  const keySets = createPlatformKeySets(outbound, now);
  const toolKeys = new ToolKeys(db, deps.vault, now);
  const launchTokens = new LaunchTokens(db, deps.vault, now, baseUrl);
  const launchDeps: LaunchDeps = {
    db,
    now,
    baseUrl,
    keySets,
    clockToleranceSeconds: config.ltiClockToleranceSeconds,
    idTokenMaxAgeSeconds: config.ltiIdTokenMaxAgeSeconds,
    allowAnonymousLaunches: config.ltiAllowAnonymousLaunches,
  };
  const registrationDeps: RegistrationDeps = { db, outbound, baseUrl, now };

  const guarded =
    (format: 'html' | 'json', fn: (req: LtiRequest) => Promise<LtiResponse>) =>
    async (req: LtiRequest): Promise<LtiResponse> => {
      try {
        return await fn(req);
      } catch (err) {
        return failureResponse(err, { requestId: req.requestId, logger, format });
      }
    };

  const presentedLtik = (req: LtiRequest): string => {
    const header = bearerToken(req.authorization);
    const token = header || req.params.ltik;
    if (typeof token !== 'string' || token === '') throw new LtiError('launch-token-missing', 'send the launch token as ?ltik= or Authorization: Bearer');
    return token;
  };

  return {
    toolKeys,

    jwks: guarded('json', async () => ({
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` },
      body: JSON.stringify(await toolKeys.jwks()),
    })),

    login: guarded('html', async (req) => {
      const out = await runLogin({ db, baseUrl, stateTtlSeconds: config.ltiStateTtlSeconds, now }, req.params);
      logger.debug({ lti: { event: 'login', platformId: out.registration.id, tenantId: out.registration.tenantId } }, 'LTI login initiated');
      if (out.platformStorage) return loginStoragePage({ authRequestUrl: out.authRequestUrl, ...out.platformStorage, cookie: out.stateCookie });
      return { status: 302, headers: { Location: out.authRequestUrl, 'Cache-Control': 'no-store' }, cookies: [out.stateCookie], body: '' };
    }),

    async launch(req) {
      const state = typeof req.params.state === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(req.params.state) ? req.params.state : undefined;
      const clear = state ? [clearStateCookie(state)] : undefined;
      try {
        const result = await runLaunchChecks(launchDeps, {
          idToken: req.params.id_token,
          state: req.params.state,
          storageTarget: req.params.lti_storage_target,
          storageState: req.params.lti_storage_state,
          cookieHeader: req.cookieHeader,
          origin: req.origin,
        });
        if (result.kind === 'verify-in-browser') {
          const c = result.check;
          return launchStoragePage({
            launchUrl: urls.launch,
            idToken: c.idToken,
            state: c.state,
            target: c.storageTarget,
            platformOrigin: c.platformOrigin,
            key: c.key,
          });
        }
        const launch = result.launch;
        const recorded = await recordLaunch(db, launch, { now: now(), ttlSeconds: config.ltiLaunchTokenTtlSeconds });
        const ltik = await launchTokens.issue(recorded);
        logger.info(
          {
            lti: {
              event: 'launch',
              launchId: recorded.launchId,
              platformId: launch.registration.id,
              tenantId: recorded.tenantId,
              messageType: launch.messageType,
            },
          },
          'LTI launch accepted',
        );
        const session = await loadLaunchSession(db, recorded, now());
        return landingPage(session, ltik, urls, clear);
      } catch (err) {
        return failureResponse(err, { requestId: req.requestId, logger, cookies: clear });
      }
    },

    landing: guarded('html', async (req) => {
      const ltik = presentedLtik(req);
      const session = await loadLaunchSession(db, await launchTokens.verify(ltik), now());
      return landingPage(session, ltik, urls);
    }),

    session: guarded('json', async (req) => {
      const session = await loadLaunchSession(db, await launchTokens.verify(presentedLtik(req)), now());
      return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(session) };
    }),

    registrationStart: (token, req) =>
      guarded('html', (r) => startRegistration(registrationDeps, { token, params: r.params, origin: r.origin, requestId: r.requestId }))(req),

    registrationConfirm: (token, req) =>
      guarded('html', (r) => confirmRegistration(registrationDeps, { token, params: r.params, origin: r.origin, requestId: r.requestId }))(req),

    failure: (err, req) => failureResponse(err, { requestId: req.requestId, logger }),
  };
}
