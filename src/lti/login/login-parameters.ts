import { LtiError } from '../errors.js';

/** Third-party login initiation parameters (SEC §5.1.1.1; fact sheet §2.1), checked for presence, type and size. */
export interface LoginParameters {
  iss: string;
  loginHint: string;
  targetLinkUri: string;
  ltiMessageHint: string | undefined;
  ltiDeploymentId: string | undefined;
  clientId: string | undefined;
  ltiStorageTarget: string | undefined;
}

/** Generous bounds: the values are opaque, but a login URL is not a place for megabytes. */
const MAX = { iss: 2048, login_hint: 4096, target_link_uri: 2048, lti_message_hint: 8192, lti_deployment_id: 255, client_id: 255, lti_storage_target: 255 };
type Name = keyof typeof MAX;

function read(params: Record<string, unknown>, name: Name, required: true): string;
function read(params: Record<string, unknown>, name: Name, required: false): string | undefined;
function read(params: Record<string, unknown>, name: Name, required: boolean): string | undefined {
  const v = params[name];
  if (v === undefined || v === '') {
    if (required) throw new LtiError('login-parameter-missing', `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw new LtiError('login-parameter-invalid', `${name} must be given once, as a single value`);
  if (v.length > MAX[name]) throw new LtiError('login-parameter-invalid', `${name} is longer than ${MAX[name]} characters`);
  return v;
}

export function readLoginParameters(params: Record<string, unknown>): LoginParameters {
  const p: LoginParameters = {
    iss: read(params, 'iss', true),
    loginHint: read(params, 'login_hint', true),
    targetLinkUri: read(params, 'target_link_uri', true),
    ltiMessageHint: read(params, 'lti_message_hint', false),
    ltiDeploymentId: read(params, 'lti_deployment_id', false),
    clientId: read(params, 'client_id', false),
    ltiStorageTarget: read(params, 'lti_storage_target', false),
  };
  // PM-S: "_parent" or the name of a sibling frame; never anything that could break out of a script string.
  if (p.ltiStorageTarget !== undefined && !/^[A-Za-z0-9_.-]+$/.test(p.ltiStorageTarget)) {
    throw new LtiError('login-parameter-invalid', 'lti_storage_target is not a frame name');
  }
  return p;
}
