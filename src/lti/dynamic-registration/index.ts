import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { Problem } from '../../problems.js';
import type { ActorContext } from '../../security/audit-log.js';
import { LtiError } from '../errors.js';
import type { LtiResponse } from '../http-types.js';
import type { OutboundHttp } from '../outbound/outbound-http.js';
import { confirmationPage, registeredPage } from '../pages/registration-pages.js';
import { need } from '../pipeline.js';
import { createPlatform } from '../registrations/platforms.js';
import { toolUrls } from '../target-link.js';
import { type Initiation, readInitiation } from './initiation.js';
import { claimInvitation, completeInvitation, type OpenInvitation, openInvitation, releaseInvitation } from './invitations.js';
import { fetchPlatformConfiguration, type PlatformConfiguration } from './platform-configuration.js';
import { type PlatformRegistrationAnswer, registerTool } from './register-tool.js';
import { toolRegistrationRequest } from './tool-registration.js';

export interface RegistrationDeps {
  db: Kysely<Database>;
  outbound: OutboundHttp;
  baseUrl: string;
  now: () => Date;
}

export interface RegistrationInput {
  token: string;
  params: Record<string, unknown>;
  origin: string | undefined;
  requestId: string;
}

interface RegistrationContext {
  input: RegistrationInput;
  invitation?: OpenInvitation;
  initiation?: Initiation;
  config?: PlatformConfiguration;
  request?: Record<string, unknown>;
  answer?: PlatformRegistrationAnswer;
}

interface Step {
  name: string;
  section: string;
  run(ctx: RegistrationContext, deps: RegistrationDeps): Promise<void> | void;
}

const invitation: Step = {
  name: 'invitation',
  section: 'EdHub: a tenant admin invited this registration',
  async run(ctx, deps) {
    ctx.invitation = await openInvitation(deps.db, ctx.input.token, deps.now());
  },
};
const initiation: Step = {
  name: 'initiation',
  section: 'DR §3.3; fact sheet §10.1 step 1',
  run(ctx) {
    ctx.initiation = readInitiation(ctx.input.params);
  },
};
const configuration: Step = {
  name: 'platform-configuration',
  section: 'DR §3.4; fact sheet §10.1 step 2, §10.2 (issuer host = configuration host)',
  async run(ctx, deps) {
    ctx.config = await fetchPlatformConfiguration(deps.outbound, need(ctx.initiation, 'the initiation'));
    ctx.request = toolRegistrationRequest(ctx.config, { baseUrl: deps.baseUrl, clientName: clientName(need(ctx.invitation, 'the invitation')) });
  },
};

/** GET /lti/register/{token}: fetch and check the platform's configuration, then ask for confirmation. */
export const START_STEPS: readonly Step[] = [invitation, initiation, configuration];

/** POST /lti/register/{token}: the confirmation — register with the platform, store, close. */
export const CONFIRM_STEPS: readonly Step[] = [
  invitation,
  {
    name: 'same-origin',
    section: 'EdHub: the confirmation is a form of EdHub’s own confirmation page',
    run(ctx, deps) {
      const own = toolUrls(deps.baseUrl).origin;
      if (ctx.input.origin !== own) {
        throw new LtiError('registration-origin-mismatch', `the confirmation came from ${ctx.input.origin ?? 'no origin'}, not ${own}`);
      }
    },
  },
  initiation,
  configuration,
  {
    name: 'register',
    section: 'DR §3.5–3.6; fact sheet §10.1 steps 3–4',
    async run(ctx, deps) {
      const inv = need(ctx.invitation, 'the invitation');
      await claimInvitation(deps.db, inv.id, deps.now());
      try {
        ctx.answer = await registerTool(
          deps.outbound,
          need(ctx.config, 'the configuration'),
          need(ctx.initiation, 'the initiation'),
          need(ctx.request, 'the request'),
        );
        await store(ctx, deps);
      } catch (err) {
        await releaseInvitation(deps.db, inv.id);
        throw err;
      }
    },
  },
];

async function run(steps: readonly Step[], deps: RegistrationDeps, input: RegistrationInput): Promise<RegistrationContext> {
  const ctx: RegistrationContext = { input };
  for (const step of steps) {
    try {
      await step.run(ctx, deps);
    } catch (err) {
      if (err instanceof LtiError && ctx.invitation) err.context.tenantId ??= ctx.invitation.tenantId;
      throw err;
    }
  }
  return ctx;
}

export async function startRegistration(deps: RegistrationDeps, input: RegistrationInput): Promise<LtiResponse> {
  const ctx = await run(START_STEPS, deps, input);
  const init = need(ctx.initiation, 'the initiation');
  return confirmationPage({
    action: toolUrls(deps.baseUrl).registration(input.token),
    tenantName: need(ctx.invitation, 'the invitation').tenantName,
    config: need(ctx.config, 'the configuration'),
    request: need(ctx.request, 'the request'),
    openidConfiguration: init.openidConfiguration.toString(),
    registrationToken: init.registrationToken,
  });
}

export async function confirmRegistration(deps: RegistrationDeps, input: RegistrationInput): Promise<LtiResponse> {
  const ctx = await run(CONFIRM_STEPS, deps, input);
  const answer = need(ctx.answer, 'the answer');
  return registeredPage({
    clientId: answer.clientId,
    deploymentId: answer.deploymentId,
    issuer: need(ctx.config, 'the configuration').issuer,
    tenantName: need(ctx.invitation, 'the invitation').tenantName,
  });
}

/** Fact sheet §10.1 step 4: store the registration and its deployment, and use the invitation up. */
async function store(ctx: RegistrationContext, deps: RegistrationDeps): Promise<void> {
  const inv = need(ctx.invitation, 'the invitation');
  const config = need(ctx.config, 'the configuration');
  const answer = need(ctx.answer, 'the answer');
  const actor: ActorContext = { actor: { type: 'system', id: `lti-registration-invitation:${inv.id}` }, requestId: ctx.input.requestId, sourceIp: null };
  await deps.db.transaction().execute(async (trx) => {
    let platform: Awaited<ReturnType<typeof createPlatform>>;
    try {
      platform = await createPlatform(trx, actor, inv.tenantId, {
        name: config.lti.productFamilyCode ? `${config.lti.productFamilyCode} (${new URL(config.issuer).host})` : new URL(config.issuer).host,
        issuer: config.issuer,
        clientId: answer.clientId,
        authUrl: config.authorizationEndpoint,
        tokenUrl: config.tokenEndpoint,
        tokenAudience: config.authorizationServer,
        jwksUrl: config.jwksUri,
        deployments: answer.deploymentId ? [answer.deploymentId] : [],
        registeredVia: 'dynamic',
        platformConfiguration: config.raw,
      });
    } catch (err) {
      if (err instanceof Problem && err.code === 'conflict') throw new LtiError('registration-conflict', err.detail, { tenantId: inv.tenantId });
      throw err;
    }
    await completeInvitation(trx, actor, inv, platform.id, deps.now());
  });
}

function clientName(inv: OpenInvitation): string {
  return `EdHub (${inv.tenantName})`.slice(0, 200);
}
