import { isObject } from '../claims.js';
import { LtiError } from '../errors.js';
import { OutboundError, type OutboundHttp } from '../outbound/outbound-http.js';
import { readLtiStandard } from '../standard-file.js';
import type { Initiation } from './initiation.js';

const dr = readLtiStandard<{ platformConfigurationClaim: string; requiredPlatformFields: string[] }>('dynamic-registration.json');

/** What EdHub uses of a platform's OpenID configuration (DR §3.4; fact sheet §10.2). */
export interface PlatformConfiguration {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  registrationEndpoint: string;
  authorizationServer: string | undefined;
  scopesSupported: string[] | undefined;
  claimsSupported: string[] | undefined;
  /** The LTI block: product, version, messages supported. */
  lti: { productFamilyCode: string | undefined; version: string | undefined; messagesSupported: string[] | undefined };
  /** The document as received, kept with the registration for administrators. */
  raw: Record<string, unknown>;
}

export async function fetchPlatformConfiguration(outbound: OutboundHttp, initiation: Initiation): Promise<PlatformConfiguration> {
  const url = initiation.openidConfiguration.toString();
  let res: Awaited<ReturnType<OutboundHttp['request']>>;
  try {
    res = await outbound.request({
      method: 'GET',
      url,
      headers: { Accept: 'application/json', ...(initiation.registrationToken ? { Authorization: `Bearer ${initiation.registrationToken}` } : {}) },
    });
  } catch (err) {
    if (err instanceof OutboundError) throw new LtiError('openid-configuration-unreachable', `${url}: ${err.message}`);
    throw err;
  }
  if (res.status !== 200) throw new LtiError('openid-configuration-unreachable', `${url} answered HTTP ${res.status}`);
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch {
    throw new LtiError('openid-configuration-invalid', `${url} did not answer JSON`);
  }
  return checkPlatformConfiguration(doc, initiation.openidConfiguration);
}

/**
 * The configuration's required fields and capabilities, and the check ltijs skips (fact sheet §10.1
 * step 2, §14.18): the issuer's host must be the host the configuration was fetched from — a
 * configuration URL cannot speak for another platform's issuer.
 */
export function checkPlatformConfiguration(doc: unknown, from: URL): PlatformConfiguration {
  if (!isObject(doc)) throw new LtiError('openid-configuration-invalid', 'the configuration is not a JSON object');
  const fields: Record<string, string> = {};
  for (const name of dr.requiredPlatformFields) {
    const v = doc[name];
    if (typeof v !== 'string' || !isHttpUrl(v)) throw new LtiError('openid-configuration-invalid', `${name} is missing or not an http(s) URL`);
    fields[name] = v;
  }
  const issuer = fields.issuer as string;
  if (new URL(issuer).host !== from.host) {
    throw new LtiError('issuer-host-mismatch', `issuer ${issuer} is not on ${from.host}, where the configuration came from`);
  }
  const authMethods = stringList(doc.token_endpoint_auth_methods_supported);
  if (authMethods && !authMethods.includes('private_key_jwt')) {
    throw new LtiError('openid-configuration-invalid', 'the platform does not support private_key_jwt client authentication');
  }
  const algs = stringList(doc.id_token_signing_alg_values_supported);
  if (algs && !algs.includes('RS256')) throw new LtiError('openid-configuration-invalid', 'the platform does not sign id_tokens with RS256');
  const lti = isObject(doc[dr.platformConfigurationClaim]) ? (doc[dr.platformConfigurationClaim] as Record<string, unknown>) : {};
  const messages = Array.isArray(lti.messages_supported)
    ? lti.messages_supported.filter(isObject).flatMap((m) => (typeof m.type === 'string' ? [m.type] : []))
    : undefined;
  return {
    issuer,
    authorizationEndpoint: fields.authorization_endpoint as string,
    tokenEndpoint: fields.token_endpoint as string,
    jwksUri: fields.jwks_uri as string,
    registrationEndpoint: fields.registration_endpoint as string,
    authorizationServer: typeof doc.authorization_server === 'string' && doc.authorization_server !== '' ? doc.authorization_server : undefined,
    scopesSupported: stringList(doc.scopes_supported),
    claimsSupported: stringList(doc.claims_supported),
    lti: {
      productFamilyCode: typeof lti.product_family_code === 'string' ? lti.product_family_code : undefined,
      version: typeof lti.version === 'string' ? lti.version : undefined,
      messagesSupported: messages,
    },
    raw: doc,
  };
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && v.length <= 2048;
  } catch {
    return false;
  }
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}
