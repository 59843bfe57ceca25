import { Problem } from '../problems.js';
import type { Runtime } from '../runtime.js';
import { parseTenantId, type TenantId } from '../tenancy/ids.js';
import { getTenant } from '../tenancy/tenants.js';

/** The tenant a `--tenant <id>` option names; a malformed or unknown id is a not-found problem. */
export async function tenantArg(rt: Runtime, raw: unknown): Promise<TenantId> {
  const id = parseTenantId(String(raw ?? ''));
  if (!id || !(await getTenant(rt.database.db, id))) throw new Problem('not-found', `no tenant ${String(raw)}`);
  return id;
}
