import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { TenantId } from '../../tenancy/ids.js';
import type { FileSpec } from '../csv/spec.js';

interface Facts {
  schoolSourcedId: string;
  courseSourcedId: string;
}

/**
 * Gradebook columns the CSV binding requires but the REST model leaves out or makes optional (fact
 * sheet §8.7 "differs from REST"): a score scale's org (REST has none) and course, a line item's school.
 * Each is the class's own school or course, so that is what is filled in when the provider sent nothing.
 */
const FILLS: Readonly<Record<string, ReadonlyArray<{ column: string; from: keyof Facts }>>> = {
  lineItems: [{ column: 'schoolSourcedId', from: 'schoolSourcedId' }],
  scoreScales: [
    { column: 'orgSourcedId', from: 'schoolSourcedId' },
    { column: 'courseSourcedId', from: 'courseSourcedId' },
  ],
};

/**
 * The school and course of each class, for FILLS: noted as classes are pulled (two ids per class —
 * the one per-roster map a pull keeps, and only when it pulls gradebook files), and looked up among
 * the tenant's stored classes for a class a delta did not bring.
 */
export class ClassFacts {
  private readonly known = new Map<string, Facts>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: TenantId,
    readonly enabled: boolean,
  ) {}

  note(file: FileSpec, cells: string[]): void {
    if (!this.enabled || file.name !== 'classes') return;
    const at = (name: string) => cells[file.header.indexOf(name)] ?? '';
    this.known.set(cells[0] as string, { schoolSourcedId: at('schoolSourcedId'), courseSourcedId: at('courseSourcedId') });
  }

  async fill(file: FileSpec, cells: string[]): Promise<void> {
    const fills = FILLS[file.name]?.filter((f) => file.header.includes(f.column) && cells[file.header.indexOf(f.column)] === '');
    if (!fills?.length) return;
    const classId = cells[file.header.indexOf('classSourcedId')] ?? '';
    if (classId === '') return;
    const facts = this.known.get(classId) ?? (await this.stored(classId));
    if (!facts) return; // the validator will say the value is required
    for (const f of fills) cells[file.header.indexOf(f.column)] = facts[f.from];
  }

  private async stored(classId: string): Promise<Facts | undefined> {
    const r = await sql<{ school: string | null; course: string | null }>`
      SELECT fields->>'schoolSourcedId' AS school, fields->>'courseSourcedId' AS course FROM roster_records
      WHERE tenant_id = ${this.tenantId}::uuid AND file = 'classes' AND sourced_id = ${classId} AND status = 'active'`.execute(this.db);
    const row = r.rows[0];
    if (!row) return undefined;
    const facts = { schoolSourcedId: row.school ?? '', courseSourcedId: row.course ?? '' };
    this.known.set(classId, facts);
    return facts;
  }
}
