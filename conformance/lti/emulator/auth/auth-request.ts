import type { EmulatorContext } from '../context.js';
import type { PendingLaunch } from '../state/launches.js';
import type { ToolRegistration } from '../state/tool-registry.js';

/** An authentication request as it reached the auth endpoint (query string or form), one value per parameter. */
export type AuthParams = Record<string, string | undefined>;

/** What the checks learn as they run: the tool (after the client check) and the launch (after the launch check). */
export interface AuthState {
  params: AuthParams;
  tool?: ToolRegistration;
  launch?: PendingLaunch;
}

/** One step of the auth endpoint pipeline: throws an AuthError or fills in the state. */
export type AuthCheck = (ctx: EmulatorContext, state: AuthState) => void;
