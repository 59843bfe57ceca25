import type { JWTPayload } from 'jose';
import type { EmulatorContext } from '../context.js';
import type { ToolRegistration } from '../state/tool-registry.js';

/** A token request as it reached the endpoint. */
export interface TokenRequest {
  contentType: string | undefined;
  form: Record<string, string | undefined>;
}

/** What the checks establish: the authenticated tool, its verified assertion, the scopes to grant. */
export interface TokenState {
  request: TokenRequest;
  tool?: ToolRegistration;
  assertion?: JWTPayload;
  scopes?: string[];
}

export type TokenCheck = (ctx: EmulatorContext, state: TokenState) => void | Promise<void>;
