import type { EmulatorContext } from '../context.js';
import type { ToolMessage, ToolRegistration } from '../state/tool-registry.js';
import { vocabulary } from '../vocabulary.js';
import { checkClientMetadata } from './check-client-metadata.js';
import { checkDomains } from './check-domains.js';
import { checkJsonBody } from './check-json-body.js';
import { checkRegistrationToken } from './check-registration-token.js';
import { checkScope } from './check-scope.js';
import { checkToolConfiguration } from './check-tool-configuration.js';
import { checkToolUrls } from './check-tool-urls.js';
import { RegistrationError } from './registration-error.js';
import type { RegistrationCheck, RegistrationRequest, RegistrationState } from './registration-request.js';

/** The platform's registration endpoint (DR §3.5–3.6): validate the tool's registration, store it, allocate client_id and a deployment. */
const CHECKS: readonly RegistrationCheck[] = [
  checkRegistrationToken, //   Bearer registration token, issued and unused   → invalid_token (401)
  checkJsonBody, //            JSON object with the tool configuration block  → invalid_client_metadata
  checkClientMetadata, //      web, id_token, implicit + client_credentials, private_key_jwt, client_name
  checkToolUrls, //            initiate_login_uri, redirect_uris, jwks_uri    → invalid_client_metadata / invalid_redirect_uri
  checkScope, //               only scopes the platform supports
  checkToolConfiguration, //   domain, target_link_uri, supported messages, string custom parameters
  checkDomains, //             login, redirect and launch URLs on the tool's domain(s)
];

export type RegistrationOutcome = { ok: true; status: 201; body: Record<string, unknown>; tool: ToolRegistration } | { ok: false; error: RegistrationError };

export function registerTool(ctx: EmulatorContext, request: RegistrationRequest): RegistrationOutcome {
  const state: RegistrationState = { request };
  try {
    for (const check of CHECKS) check(ctx, state);
  } catch (err) {
    if (!(err instanceof RegistrationError)) throw err;
    ctx.logger.warn({ check: err.check, error: err.code, description: err.description }, 'lti emulator: tool registration refused');
    return { ok: false, error: err };
  }
  const m = state.metadata as Record<string, unknown>;
  const c = state.toolConfiguration as Record<string, unknown>;
  const scopes = typeof m.scope === 'string' ? m.scope.split(' ').filter(Boolean) : [];
  const tool = ctx.tools.register({
    name: m.client_name as string,
    initiateLoginUri: m.initiate_login_uri as string,
    redirectUris: m.redirect_uris as string[],
    targetLinkUri: c.target_link_uri as string,
    jwksUri: m.jwks_uri as string,
    scopes,
    messages: toolMessages(c.messages),
    customParameters: (c.custom_parameters as Record<string, string> | undefined) ?? {},
    domain: c.domain as string,
    registeredBy: 'dynamic-registration',
    registrationRequest: m,
  });
  if (state.token) ctx.registrationTokens.consume(state.token);
  ctx.logger.info({ clientId: tool.clientId, deploymentId: tool.deployments[0], name: tool.name }, 'lti emulator: tool registered by Dynamic Registration');
  return { ok: true, status: 201, body: registrationResponse(tool, m, c), tool };
}

function toolMessages(messages: unknown): ToolMessage[] {
  if (!Array.isArray(messages)) return [{ type: 'LtiResourceLinkRequest' }];
  return (messages as Record<string, unknown>[]).map((msg) => ({
    type: msg.type as ToolMessage['type'],
    ...(typeof msg.target_link_uri === 'string' ? { targetLinkUri: msg.target_link_uri } : {}),
    ...(typeof msg.label === 'string' ? { label: msg.label } : {}),
    ...(msg.custom_parameters ? { customParameters: msg.custom_parameters as Record<string, string> } : {}),
  }));
}

/** DR §3.6: the registration as stored, with client_id, the granted scope and the deployment id in the tool configuration. */
function registrationResponse(tool: ToolRegistration, m: Record<string, unknown>, c: Record<string, unknown>): Record<string, unknown> {
  return {
    ...m,
    client_id: tool.clientId,
    scope: tool.scopes.join(' '),
    [vocabulary.toolConfiguration]: { ...c, deployment_id: tool.deployments[0] },
  };
}
