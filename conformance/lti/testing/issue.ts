import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { LaunchInput, LaunchTicket } from '../emulator/launch/create-launch.js';
import type { LtiEmulator } from '../emulator/start-emulator.js';
import type { ToolRegistration } from '../emulator/state/tool-registry.js';
import { authParams, callAuth } from './harness.js';

/** Starts a launch and completes its authentication request directly; returns what the tool would receive. */
export async function issue(emulator: LtiEmulator, tool: ToolRegistration, input: Omit<LaunchInput, 'clientId'> = {}, nonce = 'nonce-123') {
  const ticket: LaunchTicket = await emulator.launch({ clientId: tool.clientId, ...input });
  const res = await callAuth(emulator, authParams(tool, ticket, { nonce }));
  if (!res.form?.fields.id_token) throw new Error(`no id_token: ${res.status} ${res.body}`);
  const idToken = res.form.fields.id_token;
  const header = idToken.split('.').length === 3 ? decodeProtectedHeader(idToken) : {};
  const claims = idToken.split('.').length >= 2 ? decodeJwt(`${idToken.split('.').slice(0, 2).join('.')}.`) : {};
  return { ticket, idToken, fields: res.form.fields, header, claims };
}
