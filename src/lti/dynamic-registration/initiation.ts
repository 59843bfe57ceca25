import { LtiError } from '../errors.js';

/** The DR initiation parameters (DR §3.3; fact sheet §10.1 step 1). */
export interface Initiation {
  openidConfiguration: URL;
  registrationToken: string | undefined;
}

export function readInitiation(params: Record<string, unknown>): Initiation {
  const raw = params.openid_configuration;
  if (raw === undefined || raw === '') throw new LtiError('openid-configuration-missing', 'openid_configuration is required');
  if (typeof raw !== 'string' || raw.length > 2048) {
    throw new LtiError('openid-configuration-invalid-url', 'openid_configuration must be given once, as a URL of at most 2048 characters');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LtiError('openid-configuration-invalid-url', `openid_configuration ${raw.slice(0, 200)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LtiError('openid-configuration-invalid-url', `openid_configuration has the scheme ${url.protocol}`);
  }
  const token = params.registration_token;
  if (token !== undefined && token !== '' && (typeof token !== 'string' || token.length > 8192 || !/^[\x21-\x7e]+$/.test(token))) {
    throw new LtiError('openid-configuration-invalid-url', 'registration_token must be one printable token of at most 8192 characters');
  }
  return { openidConfiguration: url, registrationToken: typeof token === 'string' && token !== '' ? token : undefined };
}
