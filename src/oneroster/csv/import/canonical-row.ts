import { hash as cryptoHash } from 'node:crypto';
import { ROLE_11_TO_12 } from '../../roles-11.js';
import { restoreFormula } from '../formula-cells.js';
import { csvSpec, type FileSpec, type OneRosterVersion } from '../spec.js';
import { splitList } from '../value-checks.js';

/**
 * A record in EdHub's canonical form: OneRoster 1.2 CSV column names, empty values left out, metadata.*
 * columns apart. content_hash covers the values (not status), so "unchanged" is a byte comparison.
 */
export interface CanonicalRow {
  file: string;
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  /** ISO text from a delta file; undefined in bulk files (the import time is used). */
  dateLastModified: string | undefined;
  fields: Record<string, string>;
  metadata: Record<string, string> | undefined;
  /** `fields` and `metadata` as JSON text, serialised once for the hash and for staging. */
  fieldsJson: string;
  metadataJson: string | undefined;
  hash: Buffer;
}

const V12 = csvSpec('1.2');

/**
 * Turns the rows of one file into canonical rows, mapping OneRoster 1.1 into the 1.2 model:
 * a 1.1 user's single `role` and `orgSourcedIds` become 1.2 `roles` rows (the first org primary),
 * and 1.1 `lineItems.gradingPeriodSourcedId` becomes `academicSessionSourcedId`.
 */
export function canonicalizer(version: OneRosterVersion, file: FileSpec, header: string[]): (fields: string[]) => CanonicalRow[] {
  const target = V12.file(version === '1.1' && file.name === 'users' ? 'users' : file.name) as FileSpec;
  const index = new Map(header.map((h, i) => [h, i]));
  const metaColumns = header.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith('metadata.'));
  const rename: Record<string, string> = version === '1.1' && file.name === 'lineItems' ? { academicSessionSourcedId: 'gradingPeriodSourcedId' } : {};
  const columns = target.columns.map((c) => [c.name, index.get(rename[c.name] ?? c.name), c.kind === 'string'] as const).filter(([, i]) => i !== undefined) as [
    string,
    number,
    boolean,
  ][];
  const derivesRoles = version === '1.1' && file.name === 'users';

  return (row) => {
    const status = row[1] === 'tobedeleted' || row[1] === 'inactive' ? 'tobedeleted' : 'active';
    const dateLastModified = row[2] === '' ? undefined : row[2];
    const fields: Record<string, string> = {};
    for (const [name, i, text] of columns) {
      const v = row[i] as string;
      if (v !== '') fields[name] = text ? restoreFormula(v) : v;
    }
    let metadata: Record<string, string> | undefined;
    for (const [name, i] of metaColumns) {
      const v = row[i] as string;
      if (v === '') continue;
      metadata ??= {};
      metadata[name.slice('metadata.'.length)] = restoreFormula(v);
    }
    const sourcedId = row[0] as string;
    const out: CanonicalRow[] = [];
    if (derivesRoles) {
      const orgs = (row[index.get('orgSourcedIds') as number] ?? '') === '' ? [] : splitList(row[index.get('orgSourcedIds') as number] as string);
      const role11 = row[index.get('role') as number] as string;
      if (orgs[0] && fields.primaryOrgSourcedId === undefined) fields.primaryOrgSourcedId = orgs[0];
      orgs.forEach((org, n) => {
        const roleFields = { userSourcedId: sourcedId, roleType: n === 0 ? 'primary' : 'secondary', role: ROLE_11_TO_12[role11] ?? role11, orgSourcedId: org };
        out.push(make('roles', derivedRoleId(sourcedId, org), status, dateLastModified, roleFields, undefined));
      });
    }
    out.unshift(make(file.name, sourcedId, status, dateLastModified, fields, metadata));
    return out;
  };
}

/** The sourcedId of a role derived from a 1.1 user's membership in an org. */
export function derivedRoleId(user: string, org: string): string {
  return `${user}@${org}`;
}

function make(
  file: string,
  sourcedId: string,
  status: CanonicalRow['status'],
  dateLastModified: string | undefined,
  fields: Record<string, string>,
  metadata: Record<string, string> | undefined,
): CanonicalRow {
  // Serialised once: the same text is hashed here and staged by the StagingWriter.
  const fieldsJson = JSON.stringify(fields);
  const metadataJson = metadata ? JSON.stringify(metadata) : undefined;
  const hash = contentHash(fieldsJson, metadataJson);
  return { file, sourcedId, status, dateLastModified, fields, metadata, fieldsJson, metadataJson, hash };
}

/**
 * The content hash of a record: SHA-1 of its fields and metadata as JSON (fields in the file's column
 * order). Every writer — CSV import, REST gradebook writes — hashes the same way, so the same values
 * arriving by another route are "unchanged".
 */
export function contentHash(fieldsJson: string, metadataJson: string | undefined): Buffer {
  return cryptoHash('sha1', `${fieldsJson}\u0000${metadataJson ?? ''}`, 'buffer');
}
