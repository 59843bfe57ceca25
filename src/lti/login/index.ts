import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { LtiError } from '../errors.js';
import { need } from '../pipeline.js';
import { findRegistration } from '../registrations/find-registration.js';
import type { Registration } from '../registrations/registration.js';
import { isToolUrl, toolUrls } from '../target-link.js';
import { authenticationRequestUrl } from './auth-request.js';
import { type LoginParameters, readLoginParameters } from './login-parameters.js';
import { type IssuedLogin, issueLoginState } from './login-states.js';
import { stateCookie, storageKey } from './state-binding.js';

export interface LoginDeps {
  db: Kysely<Database>;
  baseUrl: string;
  stateTtlSeconds: number;
  now: () => Date;
}

interface LoginContext {
  input: Record<string, unknown>;
  params?: LoginParameters;
  registration?: Registration;
  issued?: IssuedLogin;
}

/** Where the browser goes next, and how the state is bound to it. */
export interface LoginOutcome {
  authRequestUrl: string;
  stateCookie: string;
  /** Set when the platform offers postMessage storage: the login page stores the state there first. */
  platformStorage?: { target: string; platformOrigin: string; key: string; value: string };
  registration: Registration;
}

interface LoginStep {
  name: string;
  section: string;
  run(ctx: LoginContext, deps: LoginDeps): Promise<void> | void;
}

/** The OIDC login initiation endpoint, as a table of named steps run in order. */
export const LOGIN_STEPS: readonly LoginStep[] = [
  {
    name: 'parameters',
    section: 'SEC §5.1.1.1; fact sheet §2.1',
    run(ctx) {
      ctx.params = readLoginParameters(ctx.input);
    },
  },
  {
    name: 'registration',
    section: 'fact sheet §1.2, §13 (never by issuer alone)',
    async run(ctx, deps) {
      const p = need(ctx.params, 'the login parameters');
      ctx.registration = await findRegistration(deps.db, { issuer: p.iss, clientId: p.clientId, deploymentId: p.ltiDeploymentId });
    },
  },
  {
    name: 'target-link-uri',
    section: 'fact sheet §2.1 (allow-list against the tool)',
    run(ctx, deps) {
      const p = need(ctx.params, 'the login parameters');
      if (!isToolUrl(p.targetLinkUri, deps.baseUrl)) {
        throw new LtiError('login-target-link-uri-not-allowed', `target_link_uri ${p.targetLinkUri.slice(0, 200)} is not under ${deps.baseUrl}`);
      }
    },
  },
  {
    name: 'issue-state',
    section: 'SEC §5.1.1.2; fact sheet §2.3 (CSPRNG state and nonce, stored, short-lived)',
    async run(ctx, deps) {
      const registration = need(ctx.registration, 'the registration');
      ctx.issued = await issueLoginState(deps.db, {
        tenantId: registration.tenantId,
        platformId: registration.id,
        ltiDeploymentId: need(ctx.params, 'the login parameters').ltiDeploymentId,
        now: deps.now(),
        ttlSeconds: deps.stateTtlSeconds,
      });
    },
  },
];

export async function runLogin(deps: LoginDeps, input: Record<string, unknown>): Promise<LoginOutcome> {
  const ctx: LoginContext = { input };
  for (const step of LOGIN_STEPS) {
    try {
      await step.run(ctx, deps);
    } catch (err) {
      if (err instanceof LtiError && ctx.registration) Object.assign(err.context, { platformId: ctx.registration.id, tenantId: ctx.registration.tenantId });
      throw err;
    }
  }
  const params = need(ctx.params, 'the login parameters');
  const registration = need(ctx.registration, 'the registration');
  const issued = need(ctx.issued, 'the issued state');
  return {
    authRequestUrl: authenticationRequestUrl(registration, params, issued, toolUrls(deps.baseUrl).launch),
    stateCookie: stateCookie(issued.state, deps.stateTtlSeconds),
    platformStorage: params.ltiStorageTarget
      ? { target: params.ltiStorageTarget, platformOrigin: new URL(registration.authUrl).origin, key: storageKey(issued.state), value: issued.state }
      : undefined,
    registration,
  };
}
