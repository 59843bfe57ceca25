import type { PlatformConfiguration } from '../dynamic-registration/platform-configuration.js';
import type { LtiResponse } from '../http-types.js';
import { readLtiStandard } from '../standard-file.js';
import { definitionList, escapeHtml, htmlPage } from './html.js';

const dr = readLtiStandard<{ closeMessageSubject: string }>('dynamic-registration.json');

/** Dynamic Registration step 2½: what will be registered, and a button that confirms it. */
export function confirmationPage(p: {
  action: string;
  tenantName: string;
  config: PlatformConfiguration;
  request: Record<string, unknown>;
  openidConfiguration: string;
  registrationToken: string | undefined;
}): LtiResponse {
  const scopes = String(p.request.scope ?? '')
    .split(' ')
    .filter(Boolean);
  return htmlPage({
    status: 200,
    title: 'Register EdHub',
    body: `<h1>Register EdHub with ${escapeHtml(p.config.lti.productFamilyCode ?? new URL(p.config.issuer).host)}</h1>
<p>This registers EdHub as an LTI 1.3 tool of the platform below, for <strong>${escapeHtml(p.tenantName)}</strong>. People launching from it will appear in that tenant.</p>
<h2>Platform</h2>${definitionList([
      ['issuer', p.config.issuer],
      ['product', p.config.lti.productFamilyCode],
      ['version', p.config.lti.version],
      ['authorization endpoint', p.config.authorizationEndpoint],
      ['token endpoint', p.config.tokenEndpoint],
      ['key set', p.config.jwksUri],
    ])}
<h2>EdHub asks for</h2>${definitionList([
      ['login URL', String(p.request.initiate_login_uri)],
      ['launch URL', (p.request.redirect_uris as string[]).join(' ')],
      ['key set', String(p.request.jwks_uri)],
      ['services', scopes.length ? scopes.map((s) => s.slice(s.lastIndexOf('/') + 1)).join(', ') : 'none'],
    ])}
<form method="post" action="${escapeHtml(p.action)}">
<input type="hidden" name="openid_configuration" value="${escapeHtml(p.openidConfiguration)}">
${p.registrationToken ? `<input type="hidden" name="registration_token" value="${escapeHtml(p.registrationToken)}">` : ''}
<p><button type="submit">Register EdHub</button></p></form>`,
  });
}

/** The end of Dynamic Registration (DR §3.7): tell the platform to close the registration window. */
export function registeredPage(p: { clientId: string; deploymentId: string | undefined; issuer: string; tenantName: string }): LtiResponse {
  return htmlPage({
    status: 200,
    title: 'EdHub is registered',
    body: `<h1>EdHub is registered</h1>
<p>The platform can now launch EdHub for <strong>${escapeHtml(p.tenantName)}</strong>. You can close this window.</p>
${definitionList([
  ['issuer', p.issuer],
  ['client id', p.clientId],
  ['deployment', p.deploymentId ?? 'none yet'],
])}`,
    data: { subject: dr.closeMessageSubject },
    script: `(function(){var D=JSON.parse(document.getElementById('page-data').textContent);(window.opener||window.parent).postMessage({subject:D.subject},'*')})();`,
  });
}
