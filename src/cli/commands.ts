import { Problem } from '../problems.js';
import type { Runtime } from '../runtime.js';
import { type ActorContext, listAudit, recordAudit } from '../security/audit-log.js';
import { addGeneratedKey, pruneGeneratedKeys } from '../security/master-keyring.js';
import { apiKeyOwner, createApiKey, listApiKeys, revokeApiKey } from '../tenancy/api-keys.js';
import type { TenantId } from '../tenancy/ids.js';
import { createOAuthClient, listOAuthClients, revokeOAuthClient } from '../tenancy/oauth-clients.js';
import { createTenant, listTenants } from '../tenancy/tenants.js';
import { ltiCommands } from './lti-commands.js';
import { exportCommand, importCommand } from './oneroster-commands.js';
import { pullCommand } from './oneroster-pull-command.js';
import { tenantArg } from './tenant-arg.js';
import { ALL, table } from './text-output.js';

/**
 * The operator commands, as plain functions over a Runtime. The same table serves the `edhub` CLI
 * directly and, in embedded mode while a server holds the data directory, through its control socket.
 */
export interface CommandResult {
  /** What `--json` prints. */
  data: unknown;
  /** What a person sees. */
  text: string;
}

export type CommandArgs = Record<string, string | boolean | undefined>;
/** What only a local terminal offers (a progress line); absent when the command runs inside the server. */
export interface CommandIO {
  progress?: (file: string, rows: number) => void;
}
type Command = (rt: Runtime, args: CommandArgs, ctx: ActorContext, io?: CommandIO) => Promise<CommandResult>;

function scopesArg(raw: unknown): string[] {
  const scopes = String(raw ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if (scopes.length === 0) throw new Problem('validation-failed', '--scopes needs at least one scope');
  return [...new Set(scopes)];
}

export const commands: Record<string, Command> = {
  async 'db migrate'() {
    // The runtime applied pending migrations when it opened; here we only report the state.
    return { data: { status: 'up to date' }, text: 'database schema is up to date' };
  },

  async 'tenant create'(rt, args, ctx) {
    const input = { name: String(args.name ?? '') };
    const errors = rt.schemas.validate('urn:edhub:schema:api:tenant-create', input, 'body');
    if (errors.length > 0) throw new Problem('validation-failed', `tenant name ${errors.map((e) => e.detail).join('; ')}`);
    const t = await createTenant(rt.database.db, ctx, input.name);
    return { data: { id: t.id, name: t.name }, text: `created tenant ${t.id} (${t.name})` };
  },

  async 'tenant list'(rt) {
    const { items } = await listTenants(rt.database.db, { limit: ALL });
    return {
      data: items.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt })),
      text: items.length ? table([['ID', 'NAME', 'CREATED'], ...items.map((t) => [t.id, t.name, t.createdAt])]) : 'no tenants',
    };
  },

  async 'client create'(rt, args, ctx) {
    const tenantId = await tenantArg(rt, args.tenant);
    const c = await createOAuthClient(rt.database.db, rt.vault, ctx, tenantId, {
      name: args.name as string | undefined,
      scopes: scopesArg(args.scopes),
      oauth1: args.oauth1 === true,
    });
    return {
      data: { clientId: c.clientId, clientSecret: c.clientSecret, scopes: c.scopes, tenantId: c.tenantId, oauth1: c.oauth1 },
      text: `client_id:     ${c.clientId}\nclient_secret: ${c.clientSecret}\nscopes:        ${c.scopes.join(' ')}${c.oauth1 ? '\noauth 1.0a:    accepted (OneRoster 1.1 paths)' : ''}\nThe secret is shown only now; store it safely.`,
    };
  },

  async 'client list'(rt, args) {
    const { items } = await listOAuthClients(rt.database.db, await tenantArg(rt, args.tenant), { limit: ALL });
    return {
      data: items,
      text: items.length
        ? table([
            ['CLIENT ID', 'NAME', 'SCOPES', 'REVOKED', 'LAST USED'],
            ...items.map((c) => [c.clientId, c.name, c.scopes.join(' '), c.revokedAt ?? '-', c.lastUsedAt ?? '-']),
          ])
        : 'no OAuth clients',
    };
  },

  async 'client revoke'(rt, args, ctx) {
    const clientId = String(args.clientId ?? '');
    const row = await rt.database.db.selectFrom('oauth_clients').select('tenant_id').where('client_id', '=', clientId).executeTakeFirst();
    if (!row) throw new Problem('not-found', `no OAuth client ${clientId}`);
    const c = await revokeOAuthClient(rt.database.db, rt.vault, ctx, row.tenant_id as TenantId, clientId);
    return { data: c, text: `revoked OAuth client ${c.clientId}` };
  },

  async 'apikey create'(rt, args, ctx) {
    if (Boolean(args.platform) === Boolean(args.tenant)) throw new Problem('validation-failed', 'give exactly one of --tenant <id> or --platform');
    const tenantId = args.platform ? null : await tenantArg(rt, args.tenant);
    const k = await createApiKey(rt.database.db, ctx, tenantId, { name: args.name as string | undefined, scopes: scopesArg(args.scopes) });
    return {
      data: { id: k.id, key: k.key, tenantId: k.tenantId, scopes: k.scopes },
      text: `id:     ${k.id}\nkey:    ${k.key}\nscopes: ${k.scopes.join(' ')}\nThe key is shown only now; store it safely.`,
    };
  },

  async 'apikey list'(rt, args) {
    if (Boolean(args.platform) === Boolean(args.tenant)) throw new Problem('validation-failed', 'give exactly one of --tenant <id> or --platform');
    const tenantId = args.platform ? null : await tenantArg(rt, args.tenant);
    const { items } = await listApiKeys(rt.database.db, tenantId, { limit: ALL });
    return {
      data: items,
      text: items.length
        ? table([
            ['ID', 'KEY', 'SCOPES', 'REVOKED', 'LAST USED'],
            ...items.map((k) => [k.id, k.maskedKey, k.scopes.join(' '), k.revokedAt ?? '-', k.lastUsedAt ?? '-']),
          ])
        : 'no API keys',
    };
  },

  async 'apikey revoke'(rt, args, ctx) {
    const id = String(args.id ?? '');
    const owner = await apiKeyOwner(rt.database.db, id);
    if (!owner) throw new Problem('not-found', `no API key ${id}`);
    const k = await revokeApiKey(rt.database.db, ctx, owner.tenantId, id);
    return { data: { id: k.id, revokedAt: k.revokedAt }, text: `revoked API key ${k.id} (${k.maskedKey})` };
  },

  async 'keys rotate-master'(rt, _args, ctx) {
    const managed = rt.keyring.file;
    if (managed) {
      addGeneratedKey(managed);
      rt.reloadKeyring();
    }
    const report = await rt.vault.rotateMaster();
    let retired: string[] = [];
    if (managed) {
      retired = pruneGeneratedKeys(managed, await rt.vault.masterKeysInUse());
      rt.reloadKeyring();
    }
    await recordAudit(rt.database.db, ctx, {
      tenantId: null,
      action: 'vault.master_key.rotate',
      target: { type: 'master_key', id: report.currentKeyId },
      details: { ...report, retired },
    });
    const data = { ...report, retiredKeyIds: retired };
    return {
      data,
      text:
        `master key ${report.currentKeyId} is current; re-wrapped ${report.rewrapped} data key(s), ${report.alreadyCurrent} already current` +
        (managed
          ? `; retired ${retired.length} old key(s) from ${managed}`
          : '; remove the old key from EDHUB_MASTER_KEYS_PREVIOUS once every instance runs with the new one'),
    };
  },

  ...ltiCommands,
  'oneroster import': importCommand,
  'oneroster export': exportCommand,
  'oneroster pull': pullCommand,

  async 'audit list'(rt, args) {
    const tenantId = args.tenant ? await tenantArg(rt, args.tenant) : undefined;
    const limit = Math.min(Math.max(Number(args.limit ?? 50) || 50, 1), 10_000);
    const { events } = await listAudit(rt.database.db, { tenantId, action: args.action as string | undefined, limit });
    return {
      data: events,
      text: events.length
        ? table([
            ['TIME', 'ACTION', 'ACTOR', 'TARGET', 'TENANT'],
            ...events.map((e) => [e.occurredAt, e.action, `${e.actor.type}:${e.actor.id}`, `${e.target.type}:${e.target.id ?? '-'}`, e.tenantId ?? '-']),
          ])
        : 'no audit events',
    };
  },
};
