import type { JWTPayload } from 'jose';
import type { PendingLaunch } from '../state/launches.js';
import { CLAIM, vocabulary } from '../vocabulary.js';
import { DeepLinkingError } from './deep-linking-result.js';

/** DL §4.5: message type, version, the launch's deployment, and `data` echoed unchanged (DL §4.4.1). */
export function checkResponseClaims(payload: JWTPayload, launch: PendingLaunch): void {
  if (payload[CLAIM.messageType] !== vocabulary.deepLinkingResponse) {
    throw new DeepLinkingError('claims', `message_type must be ${vocabulary.deepLinkingResponse}`);
  }
  if (payload[CLAIM.version] !== vocabulary.ltiVersion) throw new DeepLinkingError('claims', `version must be ${vocabulary.ltiVersion}`);
  if (payload[CLAIM.deploymentId] !== launch.deploymentId) throw new DeepLinkingError('claims', 'deployment_id differs from the Deep Linking request');
  if (payload[CLAIM.deepLinkingData] !== launch.id) throw new DeepLinkingError('claims', 'data must echo the deep_linking_settings.data of the request');
}
