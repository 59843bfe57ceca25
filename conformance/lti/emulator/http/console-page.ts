import type { EmulatorContext } from '../context.js';
import { MESSAGE_TYPES } from '../vocabulary.js';
import { escapeHtml, page } from './html.js';

const option = (value: string, label: string, selected = false) =>
  `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;

/** The page a person uses: pick a tool, a user and a message type, press Launch; register tools by hand or by Dynamic Registration. */
export function consolePage(ctx: EmulatorContext, notice?: string): string {
  const tools = ctx.tools.list();
  const users = ctx.directory.listUsers();
  const contexts = ctx.directory.listContexts();
  const links = ctx.directory.listResourceLinks();
  const lineItems = contexts.flatMap((c) => tools.flatMap((t) => ctx.lineItems.list(c.id, t.clientId, {})));
  const launchForm =
    tools.length === 0
      ? '<p>No tool is registered yet: register one below (by hand or by Dynamic Registration).</p>'
      : `<form method="post" action="/console/launch">
<div class="row"><div>
<label for="clientId">Tool</label><select id="clientId" name="clientId">${tools.map((t) => option(t.clientId, `${t.name} (${t.clientId})`)).join('')}</select>
<label for="userId">User</label><select id="userId" name="userId">${users.map((u) => option(u.id, u.label ?? u.name ?? u.id, u.id === 'instructor')).join('')}</select>
<label for="messageType">Message type</label><select id="messageType" name="messageType">${MESSAGE_TYPES.map((m) => option(m, m)).join('')}</select>
<label for="contextId">Context</label><select id="contextId" name="contextId">${contexts.map((c) => option(c.id, c.title ?? c.id)).join('')}${option('', '(no context)')}</select>
<label for="resourceLinkId">Resource link</label><select id="resourceLinkId" name="resourceLinkId">${option('', '(default)')}${links.map((l) => option(l.id, l.title ?? l.id)).join('')}</select>
</div><div>
<label for="tamper">Break the launch on purpose (tamper)</label><select id="tamper" name="tamper" multiple>${ctx.tampers
          .list()
          .map((t) => option(t.id, `${t.id}${t.cert ? ` — ${t.cert}` : ''}`))
          .join('')}</select>
<label for="lineItemId">Line item (submission review)</label><select id="lineItemId" name="lineItemId">${option('', '(none)')}${lineItems.map((i) => option(i.id, i.label)).join('')}</select>
<label for="custom">Custom parameters (name=value per line)</label><textarea id="custom" name="custom" rows="3"></textarea>
</div></div>
<button type="submit">Launch</button>
</form>`;
  const toolRows = tools
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.name)}</td><td><code>${escapeHtml(t.clientId)}</code></td><td><code>${escapeHtml(t.deployments.join(', '))}</code></td><td>${escapeHtml(t.registeredBy)}</td></tr>`,
    )
    .join('');
  const e = ctx.endpoints;
  return page(
    'LTI platform emulator',
    `<h1>EdHub LTI 1.3 platform emulator</h1>
${notice ? `<p class="error">${escapeHtml(notice)}</p>` : ''}
<h2>Launch</h2>${launchForm}
<h2>Registered tools</h2>${tools.length ? `<table><tr><th>Name</th><th>client_id</th><th>Deployments</th><th>Registered by</th></tr>${toolRows}</table>` : '<p>None.</p>'}
<h2>Platform details (for registering this platform in a tool)</h2>
<table><tr><th>Issuer</th><td><code>${escapeHtml(e.issuer)}</code></td></tr><tr><th>Authorization (OIDC auth) endpoint</th><td><code>${escapeHtml(e.authorization)}</code></td></tr>
<tr><th>Token endpoint</th><td><code>${escapeHtml(e.token)}</code></td></tr><tr><th>JWKS</th><td><code>${escapeHtml(e.jwks)}</code></td></tr>
<tr><th>OpenID configuration</th><td><code>${escapeHtml(e.openidConfiguration)}</code></td></tr></table>
<h2>Register a tool by hand</h2>
<form method="post" action="/console/tools"><div class="row"><div>
<label for="name">Name</label><input id="name" name="name" value="My tool">
<label for="initiateLoginUri">OIDC login initiation URL</label><input id="initiateLoginUri" name="initiateLoginUri" placeholder="https://tool.example/lti/login">
<label for="redirectUris">Redirect (launch) URLs, one per line</label><textarea id="redirectUris" name="redirectUris" rows="2"></textarea>
</div><div>
<label for="jwksUri">Tool JWKS URL</label><input id="jwksUri" name="jwksUri" placeholder="https://tool.example/.well-known/jwks.json">
<label for="targetLinkUri">Default target link URI (default: the first redirect URL)</label><input id="targetLinkUri" name="targetLinkUri">
<label for="deploymentId">Deployment id (default: generated)</label><input id="deploymentId" name="deploymentId">
</div></div><button type="submit">Register</button></form>
<h2>Register a tool by Dynamic Registration</h2>
<form method="post" action="/console/dynamic-registration"><label for="registrationUrl">The tool's registration URL</label><input id="registrationUrl" name="registrationUrl" placeholder="https://tool.example/lti/register">
<button type="submit">Start Dynamic Registration</button></form>`,
  );
}

/** Hosts the tool's registration page in a frame and returns to the console when the tool posts org.imsglobal.lti.close (DR §3.7). */
export function dynamicRegistrationPage(url: string): string {
  return page(
    'Dynamic Registration',
    `<h1>Dynamic Registration</h1><p>The tool's registration page is below; this page returns to the console when the tool closes it.</p>
<iframe src="${escapeHtml(url)}" style="width:100%;height:30rem;border:1px solid #ccc"></iframe>
<script>window.addEventListener('message', (e) => { if (e.data && e.data.subject === 'org.imsglobal.lti.close') location.href = '/'; });</script>`,
  );
}
