import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { createZipWriter } from '../../../packaging/write-zip.js';
import type { ActorContext } from '../../../security/audit-log.js';
import { recordAudit } from '../../../security/audit-log.js';
import type { TenantId } from '../../../tenancy/ids.js';
import { role11 } from '../../roles-11.js';
import { neutralizeFormula } from '../formula-cells.js';
import { csvSpec, type FileSpec, MANIFEST, type OneRosterVersion } from '../spec.js';
import { type ExportRecord, type ExportScope, exportInventory, exportRecords, rolesOfUsers } from './export-rows.js';

export interface ExportOptions {
  version: OneRosterVersion;
  /** Export the changes since this moment (a delta package) instead of a bulk snapshot. */
  since?: Date;
  ctx: ActorContext;
}

export interface ExportResult {
  /** The zip, produced as it is read. */
  zip: Readable;
  /** Rows per file (files with none are declared absent and left out). */
  files: Record<string, number>;
}

/**
 * Writes a tenant's roster as a OneRoster 1.1 or 1.2 CSV package: a bulk snapshot of the active
 * records, or a delta of everything changed since a moment (with status and dateLastModified). The
 * output passes EdHub's own validator and imports back to the same records. Audited as a data export.
 */
export async function exportPackage(db: Kysely<Database>, tenantId: TenantId, options: ExportOptions): Promise<ExportResult> {
  const spec = csvSpec(options.version);
  const scope: ExportScope = options.since ? { kind: 'delta', since: options.since } : { kind: 'bulk' };
  const inventory = await exportInventory(db, tenantId, scope);
  // A 1.1 package has no roles file: roles travel inside users.
  const present = spec.files.filter((f) => (inventory.get(f.name)?.count ?? 0) > 0);
  const files = Object.fromEntries(present.map((f) => [f.name, inventory.get(f.name)?.count ?? 0]));

  await recordAudit(db, options.ctx, {
    tenantId,
    action: 'oneroster.export',
    target: { type: 'tenant', id: tenantId },
    details: { version: options.version, mode: scope.kind, ...(options.since ? { since: options.since.toISOString() } : {}), files },
  });

  const writer = createZipWriter();
  writer.addBuffer('manifest.csv', Buffer.from(manifest(options.version, spec.files, new Set(present.map((f) => f.name)), scope), 'utf8'));
  for (const file of present) {
    const metadataKeys = inventory.get(file.name)?.metadataKeys ?? [];
    writer.addStream(
      `${file.name}.csv`,
      Readable.from(csvLines(db, tenantId, options.version, file, scope, metadataKeys)).pipe(stringify({ record_delimiter: '\r\n' })),
    );
  }
  return { zip: writer.end(), files };
}

function manifest(version: OneRosterVersion, files: FileSpec[], present: Set<string>, scope: ExportScope): string {
  const mode = scope.kind;
  const rows = [MANIFEST.header, ['manifest.version', MANIFEST.manifestVersion], ['oneroster.version', version]];
  for (const f of files) rows.push([`file.${f.name}`, present.has(f.name) ? mode : 'absent']);
  rows.push(['source.systemName', 'EdHub'], ['source.systemCode', 'edhub']);
  return `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
}

/** Header, then one array of cells per record, page by page. */
async function* csvLines(
  db: Kysely<Database>,
  tenantId: TenantId,
  version: OneRosterVersion,
  file: FileSpec,
  scope: ExportScope,
  metadataKeys: string[],
): AsyncGenerator<string[]> {
  yield [...file.header, ...metadataKeys.map((k) => `metadata.${k}`)];
  const text = new Set(file.columns.filter((c) => c.kind === 'string').map((c) => c.name));
  // REST writes may store a date-time where the CSV has a date column (line items' assignDate).
  const dates = new Set(file.columns.filter((c) => c.kind === 'date').map((c) => c.name));
  for await (const page of exportRecords(db, tenantId, file.name, scope)) {
    const roles =
      version === '1.1' && file.name === 'users'
        ? await rolesOfUsers(
            db,
            tenantId,
            page.map((r) => r.sourcedId),
          )
        : undefined;
    for (const record of page) {
      const values = version === '1.1' ? to11(file.name, record, roles) : record.fields;
      yield [
        record.sourcedId,
        scope.kind === 'bulk' ? '' : record.status,
        scope.kind === 'bulk' ? '' : record.dateLastModified.toISOString(),
        ...file.columns.map((c) => {
          const v = values[c.name] ?? '';
          if (dates.has(c.name)) return v.slice(0, 10);
          return text.has(c.name) ? neutralizeFormula(v) : v;
        }),
        ...metadataKeys.map((k) => neutralizeFormula(record.metadata?.[k] ?? '')),
      ];
    }
  }
}

/** Canonical (1.2) values as the 1.1 columns of the same file. */
function to11(file: string, record: ExportRecord, roles: Map<string, { role: string; org: string }[]> | undefined): Record<string, string> {
  if (file === 'lineItems') {
    const { academicSessionSourcedId, ...rest } = record.fields;
    return academicSessionSourcedId === undefined ? rest : { ...rest, gradingPeriodSourcedId: academicSessionSourcedId };
  }
  if (file !== 'users') return record.fields;
  const own = roles?.get(record.sourcedId) ?? [];
  const first = own[0];
  return {
    ...record.fields,
    ...(first ? { role: role11(first.role), orgSourcedIds: own.map((r) => r.org).join(',') } : {}),
  };
}
