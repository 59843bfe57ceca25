import { RegistrationError } from './registration-error.js';
import type { RegistrationCheck } from './registration-request.js';

/** DR §3.5.1: the tool presents the registration token the platform issued, as `Authorization: Bearer`. */
export const checkRegistrationToken: RegistrationCheck = (ctx, state) => {
  const match = /^Bearer\s+(\S+)$/i.exec(state.request.authorization ?? '');
  if (!match) {
    if (ctx.options.openRegistration) return;
    throw new RegistrationError('invalid_token', 'a registration token is required (Authorization: Bearer <registration_token>)', 'registration-token');
  }
  const token = match[1] as string;
  const status = ctx.registrationTokens.status(token);
  if (status !== 'valid') throw new RegistrationError('invalid_token', `the registration token is ${status}`, 'registration-token');
  state.token = token;
};
