import type { LtiResponse } from '../http-types.js';
import type { LaunchSession } from '../session/launch-session.js';
import { definitionList, escapeHtml, htmlPage } from './html.js';

/**
 * What a person sees after a valid launch: who launched, from which platform, with which roles, in
 * which context — and where a real tool would take over. Links carry the launch token (`ltik`),
 * because later requests cannot count on cookies.
 */
export function landingPage(s: LaunchSession, ltik: string, urls: { landing: string; session: string }, cookies?: string[]): LtiResponse {
  const person = s.user
    ? (s.user.name ?? ([s.user.givenName, s.user.familyName].filter(Boolean).join(' ') || s.user.email || s.user.sub))
    : 'an anonymous user';
  const roles = s.roles.length
    ? `<ul>${s.roles.map((r) => `<li title="${escapeHtml(r.uri)}">${escapeHtml(r.label)}</li>`).join('')}</ul>`
    : '<p class="muted">no roles</p>';
  const q = `ltik=${encodeURIComponent(ltik)}`;
  const takeOver =
    s.messageType === 'LtiDeepLinkingRequest'
      ? `This is a Deep Linking request: a tool would now let the person pick content and return it to ${escapeHtml(s.deepLinkReturnUrl ?? 'the platform')}. Deep Linking 2.0 responses come with the LTI Advantage work.`
      : `A real tool takes over here${s.targetLinkUri ? `, at <code>${escapeHtml(s.targetLinkUri)}</code>` : ''}, with the session below.`;
  return htmlPage({
    status: 200,
    title: 'Launched',
    cookies,
    body: `<h1>Welcome, ${escapeHtml(person)}</h1>
<p id="launch-summary">Launched from <strong>${escapeHtml(s.platform.name || s.platform.product || s.platform.issuer)}</strong>${s.context ? ` in <strong>${escapeHtml(s.context.title ?? s.context.label ?? s.context.contextId)}</strong>` : ''} as <strong>${escapeHtml(s.roleKind)}</strong>.</p>
<h2>Who</h2>${definitionList([
      ['name', s.user?.name],
      ['email', s.user?.email],
      ['user id (sub)', s.user?.sub ?? 'anonymous launch'],
      ['EdHub user', s.user?.id],
    ])}
<h2>Roles</h2>${roles}
<h2>Where from</h2>${definitionList([
      ['platform', s.platform.name || null],
      ['product', s.platform.product],
      ['issuer', s.platform.issuer],
      ['client id', s.platform.clientId],
      ['deployment', s.deploymentId],
      ['tenant', s.tenant.name],
    ])}
<h2>Context</h2>${
      s.context || s.resourceLink
        ? definitionList([
            ['course', s.context?.title ?? s.context?.label],
            ['context id', s.context?.contextId],
            ['resource link', s.resourceLink ? (s.resourceLink.title ?? s.resourceLink.resourceLinkId) : null],
            ['message', s.messageType],
          ])
        : `<p class="muted">no context (${escapeHtml(s.messageType)})</p>`
    }
<h2>OneRoster</h2>${rosterSection(s)}
<h2>What next</h2><p>${takeOver}</p>
<p class="muted">Session until ${escapeHtml(s.expiresAt)} · <a href="${escapeHtml(`${urls.landing}?${q}`)}">this page</a> · <a href="${escapeHtml(`${urls.session}?${q}`)}">session as JSON</a> (or send <code>Authorization: Bearer &lt;ltik&gt;</code>)</p>`,
  });
}

/** The roster records the launch is linked to, or why it is not (the platform sent no LIS ids, or the SIS has no such record). */
function rosterSection(s: LaunchSession): string {
  const { user, class: cls, enrollment } = s.roster;
  const unlinked = (what: string, id: string | null | undefined) =>
    id ? `not in this tenant's roster (${what} ${id})` : `not linked (the platform sent no ${what})`;
  return definitionList([
    [
      'user',
      user
        ? `${[user.givenName, user.familyName].filter(Boolean).join(' ') || user.sourcedId} (${user.sourcedId}; ${user.roles.join(', ') || 'no roles'})`
        : unlinked('lis person_sourcedid', s.user?.lisPersonSourcedId),
    ],
    ['class', cls ? `${cls.title ?? cls.sourcedId} (${cls.sourcedId})` : unlinked('lis course_section_sourcedid', s.context?.lisCourseSectionSourcedId)],
    [
      'enrollment',
      enrollment ? `${enrollment.role ?? 'enrolled'} (${enrollment.sourcedId})` : user && cls ? 'none: the user is not enrolled in this class' : null,
    ],
  ]);
}
