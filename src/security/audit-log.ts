import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditEvent } from '../generated/api-types.js';
import type { TenantId } from '../tenancy/ids.js';

export interface AuditActor {
  type: 'api_key' | 'oauth_client' | 'cli' | 'system';
  id: string;
}

/** Who is acting and from where: carried from the edge (HTTP request, CLI) down to every write. */
export interface ActorContext {
  actor: AuditActor;
  requestId: string | null;
  sourceIp: string | null;
}

export interface AuditRecord {
  tenantId: TenantId | null;
  action: string;
  target: { type: string; id: string | null };
  details?: Record<string, unknown>;
}

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Appends one event. Call it with the transaction that makes the change, so the change and its record
 * commit together or not at all. Never put a secret in details: the audit log is readable by admins.
 */
export async function recordAudit(executor: Executor, ctx: ActorContext, record: AuditRecord): Promise<void> {
  await executor
    .insertInto('audit_events')
    .values({
      tenant_id: record.tenantId,
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      action: record.action,
      target_type: record.target.type,
      target_id: record.target.id,
      request_id: ctx.requestId,
      source_ip: ctx.sourceIp,
      details: JSON.stringify(record.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  /** undefined: every tenant (platform administrators only — the caller decides). */
  tenantId?: TenantId;
  actorType?: AuditActor['type'];
  actorId?: string;
  /** Exact action, or a prefix written `api_key.*`. */
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  /** Events with an id below this (the previous page's last id). */
  beforeId?: string;
  limit: number;
}

/** Newest first; keyset paging on the event id. Returns one page and whether another follows. */
export async function listAudit(db: Executor, f: AuditFilter): Promise<{ events: AuditEvent[]; more: boolean }> {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.tenantId) q = q.where('tenant_id', '=', f.tenantId);
  if (f.actorType) q = q.where('actor_type', '=', f.actorType);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.action?.endsWith('.*')) q = q.where(sql<boolean>`starts_with(action, ${f.action.slice(0, -1)})`);
  else if (f.action) q = q.where('action', '=', f.action);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.since) q = q.where('occurred_at', '>=', f.since);
  if (f.until) q = q.where('occurred_at', '<', f.until);
  if (f.beforeId) q = q.where(sql<boolean>`id < ${f.beforeId}::bigint`);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return {
    more: rows.length > f.limit,
    events: rows.slice(0, f.limit).map((r) => ({
      id: String(r.id),
      tenantId: r.tenant_id,
      actor: { type: r.actor_type, id: r.actor_id },
      action: r.action,
      target: { type: r.target_type, id: r.target_id },
      occurredAt: r.occurred_at.toISOString(),
      requestId: r.request_id,
      sourceIp: r.source_ip,
      details: r.details,
    })),
  };
}
