import type { EmulatorContext } from '../context.js';
import { CLAIM } from '../vocabulary.js';
import type { Claims } from './common-claims.js';
import type { LaunchSubject } from './launch-subject.js';

/**
 * LtiDeepLinkingRequest (DL §4.4): deep_linking_settings with the return URL (one per launch, so the
 * response can be matched to it), what the platform accepts, and `data` the tool must echo. The
 * target_link_uri is sent too (the tool's Deep Linking URL), though tools must not require it.
 */
export function deepLinkingClaims(ctx: EmulatorContext, subject: LaunchSubject): Claims {
  const { launch } = subject;
  const dl = launch.deepLinking;
  if (!dl) throw new Error(`launch ${launch.id}: a Deep Linking launch needs deep linking settings`);
  return {
    [CLAIM.deepLinkingSettings]: {
      deep_link_return_url: ctx.endpoints.deepLinkReturn(launch.id),
      accept_types: dl.acceptTypes,
      accept_presentation_document_targets: dl.acceptPresentationDocumentTargets,
      ...(dl.acceptMediaTypes ? { accept_media_types: dl.acceptMediaTypes } : {}),
      accept_multiple: dl.acceptMultiple,
      accept_lineitem: dl.acceptLineItem,
      auto_create: dl.autoCreate,
      ...(dl.title ? { title: dl.title } : {}),
      ...(dl.text ? { text: dl.text } : {}),
      data: launch.id,
    },
    [CLAIM.targetLinkUri]: launch.targetLinkUri,
  };
}
