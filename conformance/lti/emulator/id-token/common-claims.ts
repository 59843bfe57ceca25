import type { EmulatorContext } from '../context.js';
import { CLAIM, vocabulary } from '../vocabulary.js';
import { customClaim } from './custom-claim.js';
import type { LaunchSubject } from './launch-subject.js';

export type Claims = Record<string, unknown>;

/**
 * The claims every LTI message carries (CORE §5.3, §5.4; SEC §5.1.2): OIDC identity and time claims,
 * version, message type, deployment, roles, and the optional user, context, platform, presentation
 * and custom claims. Personal data is sent only where the user has it (no-PII users send none).
 */
export function commonClaims(ctx: EmulatorContext, subject: LaunchSubject, nonce: string): Claims {
  const { launch, user, context } = subject;
  const iat = Math.floor(ctx.now() / 1000);
  const claims: Claims = {
    iss: ctx.endpoints.issuer,
    aud: launch.audience === 'array' ? [launch.clientId] : launch.clientId,
    ...(launch.audience === 'array' ? { azp: launch.clientId } : {}),
    sub: user.id,
    iat,
    exp: iat + ctx.options.idTokenTtlSeconds,
    nonce,
    ...personalClaims(subject),
    [CLAIM.version]: vocabulary.ltiVersion,
    [CLAIM.messageType]: launch.messageType,
    [CLAIM.deploymentId]: launch.deploymentId,
    [CLAIM.roles]: [...user.roles],
    [CLAIM.toolPlatform]: {
      guid: ctx.options.platform.guid,
      name: ctx.options.platform.name,
      product_family_code: ctx.options.platform.productFamilyCode,
      version: ctx.options.platform.version,
      url: ctx.endpoints.base,
      ...(ctx.options.platform.contactEmail ? { contact_email: ctx.options.platform.contactEmail } : {}),
    },
    [CLAIM.launchPresentation]: { document_target: launch.documentTarget, return_url: `${ctx.endpoints.base}/`, locale: user.locale ?? 'en' },
  };
  if (context) {
    claims[CLAIM.context] = {
      id: context.id,
      ...(context.label !== undefined ? { label: context.label } : {}),
      ...(context.title !== undefined ? { title: context.title } : {}),
      ...(context.type ? { type: context.type } : {}),
    };
  }
  const lis = {
    ...(user.sourcedId ? { person_sourcedid: user.sourcedId } : {}),
    ...(context?.sourcedId ? { course_offering_sourcedid: context.sourcedId, course_section_sourcedid: context.sourcedId } : {}),
  };
  if (Object.keys(lis).length > 0) claims[CLAIM.lis] = lis;
  if (user.mentees?.length) claims[CLAIM.roleScopeMentor] = [...user.mentees];
  const custom = customClaim({
    tool: subject.tool,
    messageType: launch.messageType,
    user,
    context,
    resourceLink: subject.resourceLink,
    launchCustom: launch.custom,
  });
  if (custom) claims[CLAIM.custom] = custom;
  return claims;
}

function personalClaims({ user }: LaunchSubject): Claims {
  const pii: Claims = {};
  if (user.name !== undefined) pii.name = user.name;
  if (user.givenName !== undefined) pii.given_name = user.givenName;
  if (user.familyName !== undefined) pii.family_name = user.familyName;
  if (user.middleName !== undefined) pii.middle_name = user.middleName;
  if (user.email !== undefined) pii.email = user.email;
  if (user.picture !== undefined) pii.picture = user.picture;
  if (user.locale !== undefined) pii.locale = user.locale;
  return pii;
}
