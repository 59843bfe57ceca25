import { isObject } from '../claims.js';
import { LtiError } from '../errors.js';
import { OutboundError, type OutboundHttp } from '../outbound/outbound-http.js';
import { readLtiStandard } from '../standard-file.js';
import type { Initiation } from './initiation.js';
import type { PlatformConfiguration } from './platform-configuration.js';

const dr = readLtiStandard<{ toolConfigurationClaim: string; deploymentIdField: string }>('dynamic-registration.json');

export interface PlatformRegistrationAnswer {
  clientId: string;
  deploymentId: string | undefined;
}

/** POSTs the tool registration with the registration token (DR §3.5–3.6; fact sheet §10.1 steps 3–4). */
export async function registerTool(
  outbound: OutboundHttp,
  config: PlatformConfiguration,
  initiation: Initiation,
  request: Record<string, unknown>,
): Promise<PlatformRegistrationAnswer> {
  let res: Awaited<ReturnType<OutboundHttp['request']>>;
  try {
    res = await outbound.request({
      method: 'POST',
      url: config.registrationEndpoint,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(initiation.registrationToken ? { Authorization: `Bearer ${initiation.registrationToken}` } : {}),
      },
      body: JSON.stringify(request),
    });
  } catch (err) {
    if (err instanceof OutboundError) throw new LtiError('registration-rejected', `${config.registrationEndpoint}: ${err.message}`);
    throw err;
  }
  if (res.status < 200 || res.status > 299) {
    throw new LtiError('registration-rejected', `${config.registrationEndpoint} answered HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch {
    throw new LtiError('registration-response-invalid', 'the registration answer is not JSON');
  }
  if (!isObject(doc) || typeof doc.client_id !== 'string' || doc.client_id === '' || doc.client_id.length > 255) {
    throw new LtiError('registration-response-invalid', 'the registration answer has no client_id of 1–255 characters');
  }
  const toolConfig = doc[dr.toolConfigurationClaim];
  const deploymentId = isObject(toolConfig) ? toolConfig[dr.deploymentIdField] : undefined;
  if (deploymentId !== undefined && (typeof deploymentId !== 'string' || deploymentId === '' || deploymentId.length > 255)) {
    throw new LtiError('registration-response-invalid', 'the registration answer has a deployment_id that is not a string of 1–255 characters');
  }
  return { clientId: doc.client_id, deploymentId };
}
