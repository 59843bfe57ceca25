import { findForm } from '../browser/html-form.js';
import type { EmulatorOptions } from '../emulator/options.js';
import { type LtiEmulator, startLtiEmulator } from '../emulator/start-emulator.js';
import type { ToolRegistration } from '../emulator/state/tool-registry.js';
import { type StubTool, startStubTool } from './stub-tool.js';

/** An emulator with the stub tool registered by hand, for the emulator's own tests. */
export interface Harness {
  emulator: LtiEmulator;
  stub: StubTool;
  tool: ToolRegistration;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startLtiEmulator(options);
  const stub = await startStubTool();
  stub.platform = { authorizationEndpoint: emulator.endpoints.authorization };
  const tool = emulator.registerTool({
    name: 'Stub tool',
    initiateLoginUri: stub.loginUrl,
    redirectUris: [stub.launchUrl],
    jwksUri: stub.jwksUrl,
    deployments: ['deployment-1'],
  });
  return {
    emulator,
    stub,
    tool,
    close: async () => {
      await emulator.close();
      await stub.close();
    },
  };
}

/** A well-formed authentication request (SEC §5.1.1.2) for a started launch, with any parameter changed or dropped (undefined). */
export function authParams(tool: ToolRegistration, launch: { id: string; launch: { userId: string } }, overrides: Record<string, string | undefined> = {}) {
  const params: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: tool.clientId,
    redirect_uri: tool.redirectUris[0],
    login_hint: launch.launch.userId,
    lti_message_hint: launch.id,
    state: 'state-123',
    nonce: 'nonce-123',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
}

/** GETs the auth endpoint; returns the status, and the auto-submitted form when there is one. */
export async function callAuth(emulator: LtiEmulator, params: Record<string, string>, accept = 'text/html') {
  const url = new URL(emulator.endpoints.authorization);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { accept } });
  const body = await res.text();
  return { status: res.status, body, form: res.status === 200 ? findForm(body, url.toString()) : undefined };
}

/** A service access token for the harness tool (or another tool signed with the stub key), from the emulator's token endpoint. */
export async function serviceToken(h: Harness, scope: string, clientId = h.tool.clientId): Promise<string> {
  const res = await fetch(h.emulator.endpoints.token, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await h.stub.clientAssertion(clientId, h.emulator.endpoints.token),
      scope,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${JSON.stringify(body)}`);
  return body.access_token;
}
