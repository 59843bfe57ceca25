import type { LtiPlatform, LtiPlatformCreate } from '../generated/api-types.js';
import { createInvitation } from '../lti/dynamic-registration/invitations.js';
import { ToolKeys } from '../lti/keys/tool-keys.js';
import { listDeployments } from '../lti/registrations/deployments.js';
import { createPlatform, listPlatforms, platformOwner, removePlatform } from '../lti/registrations/platforms.js';
import { Problem } from '../problems.js';
import type { Runtime } from '../runtime.js';
import type { ActorContext } from '../security/audit-log.js';
import type { TenantId } from '../tenancy/ids.js';
import type { CommandArgs, CommandResult } from './commands.js';
import { tenantArg } from './tenant-arg.js';
import { ALL, table } from './text-output.js';

/**
 * `edhub lti …`: platform registrations and the tool's signing keys, as plain functions over a
 * Runtime (registered in the commands table, so they also run inside a server through its control
 * socket). Multi-valued options arrive JSON-encoded in one argument (`deployments`), because command
 * arguments cross the control socket as strings.
 */
type LtiCommand = (rt: Runtime, args: CommandArgs, ctx: ActorContext) => Promise<CommandResult>;

type PlatformWithDeployments = LtiPlatform & { deployments: string[] };

async function withDeployments(rt: Runtime, p: LtiPlatform): Promise<PlatformWithDeployments> {
  const { items } = await listDeployments(rt.database.db, p.tenantId as TenantId, p.id, { limit: ALL });
  return { ...p, deployments: items.map((d) => d.deploymentId) };
}

function describe(p: PlatformWithDeployments): string {
  return [
    `platform ${p.id} (tenant ${p.tenantId})`,
    `  issuer:      ${p.issuer}`,
    `  client_id:   ${p.clientId}`,
    `  auth URL:    ${p.authUrl}`,
    `  token URL:   ${p.tokenUrl}${p.tokenAudience ? ` (aud ${p.tokenAudience})` : ''}`,
    `  JWKS URL:    ${p.jwksUrl}`,
    `  deployments: ${p.deployments.length ? p.deployments.join(', ') : 'none'}${p.autoRegisterDeployments ? ' (unknown ones are auto-registered)' : ''}`,
  ].join('\n');
}

function deploymentsArg(raw: unknown): string[] {
  if (raw === undefined) return [];
  const parsed: unknown = JSON.parse(String(raw));
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export const ltiCommands: Record<string, LtiCommand> = {
  async 'lti platform add'(rt, args, ctx) {
    const tenantId = await tenantArg(rt, args.tenant);
    const input: LtiPlatformCreate = {
      issuer: String(args.issuer ?? ''),
      clientId: String(args.clientId ?? ''),
      authUrl: String(args.authUrl ?? ''),
      tokenUrl: String(args.tokenUrl ?? ''),
      jwksUrl: String(args.jwksUrl ?? ''),
      deployments: [...new Set(deploymentsArg(args.deployments))],
      autoRegisterDeployments: Boolean(args.autoRegisterDeployments),
      ...(args.tokenAudience ? { tokenAudience: String(args.tokenAudience) } : {}),
      ...(args.name ? { name: String(args.name) } : {}),
    };
    const errors = rt.schemas.validate('urn:edhub:schema:api:lti-platform-create', input, 'body');
    if (errors.length > 0) {
      const option = (pointer: string) =>
        `--${(pointer.split('/')[1] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^deployments$/, 'deployment')}`;
      throw new Problem('validation-failed', errors.map((e) => `${option(e.pointer)} ${e.detail}`).join('; '));
    }
    const created = await withDeployments(rt, await createPlatform(rt.database.db, ctx, tenantId, input));
    return { data: created, text: `registered ${describe(created)}` };
  },

  async 'lti platform list'(rt, args) {
    const tenantId = args.tenant ? await tenantArg(rt, args.tenant) : undefined;
    const { items } = await listPlatforms(rt.database.db, tenantId, { limit: ALL });
    const full = await Promise.all(items.map((p) => withDeployments(rt, p)));
    return {
      data: full,
      text: full.length
        ? table([
            ['ID', 'TENANT', 'ISSUER', 'CLIENT ID', 'DEPLOYMENTS', 'VIA'],
            ...full.map((p) => [p.id, p.tenantId, p.issuer, p.clientId, p.deployments.join(',') || '-', p.registeredVia]),
          ])
        : 'no LTI platforms',
    };
  },

  async 'lti platform remove'(rt, args, ctx) {
    const id = String(args.platformId ?? '');
    const tenantId = await platformOwner(rt.database.db, id);
    if (!tenantId) throw new Problem('not-found', `no LTI platform ${id}`);
    const removed = await removePlatform(rt.database.db, ctx, tenantId, id);
    return { data: removed, text: `removed platform ${removed.id} (issuer ${removed.issuer}, client_id ${removed.clientId})` };
  },

  async 'lti platform invite'(rt, args, ctx) {
    const tenantId = await tenantArg(rt, args.tenant);
    const hours = args.expiresInHours === undefined ? 24 : Number(args.expiresInHours);
    if (!Number.isInteger(hours) || hours < 1 || hours > 720) throw new Problem('validation-failed', '--expires-in-hours must be a whole number from 1 to 720');
    const created = await createInvitation(
      rt.database.db,
      ctx,
      tenantId,
      { name: args.name === undefined ? undefined : String(args.name), expiresInHours: hours },
      { baseUrl: rt.config.baseUrl ?? '', now: new Date() },
    );
    return {
      data: created,
      text: `Dynamic Registration URL for tenant ${tenantId} (works once, until ${created.expiresAt}):\n${created.url}\nPaste it into the LMS as the tool's registration URL; it is shown only now.`,
    };
  },

  async 'lti keys rotate'(rt, args, ctx) {
    const report = await new ToolKeys(rt.database.db, rt.vault, () => new Date()).rotate(ctx, { immediate: Boolean(args.immediate) });
    return {
      data: report,
      text:
        `new signing key ${report.kid}, published now, signing from ${report.activatesAt}` +
        (report.previousKid ? `; ${report.previousKid} stays published until ${report.previousPublishedUntil}` : '') +
        (report.deletedPrivateKeys ? `; deleted ${report.deletedPrivateKeys} private key(s) no longer published` : ''),
    };
  },

  async 'lti keys list'(rt) {
    const keys = await new ToolKeys(rt.database.db, rt.vault, () => new Date()).list();
    return {
      data: keys,
      text: table([['KID', 'STATE', 'SIGNS FROM', 'PUBLISHED UNTIL'], ...keys.map((k) => [k.kid, k.state, k.activatesAt, k.publishedUntil ?? '-'])]),
    };
  },
};
