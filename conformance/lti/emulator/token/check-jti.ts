import { OAuthError } from './oauth-error.js';
import type { TokenCheck } from './token-request.js';

/** SEC §4.1.1: a client assertion is good once — its jti is remembered until the assertion expires. */
export const checkJti: TokenCheck = (ctx, state) => {
  const { jti, exp } = state.assertion ?? {};
  const key = `${state.tool?.clientId} ${jti}`;
  if (!ctx.clientAssertionJtis.use(key, ((exp as number) + ctx.options.clockToleranceSeconds) * 1000)) {
    throw new OAuthError('invalid_client', 'client assertion jti was already used', 'jti');
  }
};
