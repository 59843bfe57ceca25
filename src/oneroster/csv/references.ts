import type { Diagnostics } from './diagnostics.js';
import type { IdSet } from './id-set.js';

/** Where a reference was made, for the diagnostic if it does not resolve. */
export interface RefSite {
  file: string;
  line: number;
  column: string;
}

/** What the validator knows about a file that references point into. */
export interface TargetFile {
  state: 'reading' | 'complete' | 'broken';
  mode: 'bulk' | 'delta';
  ids: IdSet;
  orgTypes: Map<string, string>;
}

/** Looks up records already stored for the tenant: id → its org type (for orgs) or '' (others). */
export type StoredLookup = (file: string, ids: string[]) => Promise<Map<string, string>>;

interface Pending {
  target: string;
  id: string;
  targetType: string | undefined;
  at: RefSite;
}

/** References to stored data tracked per target file; beyond this, the rest are counted, not checked. */
const MAX_STORED_REFS = 200_000;

/**
 * Referential integrity across the files of a package (§8.1 "References"). A reference resolves
 * against the target file in the package; a bulk target is the whole truth, so a miss is an error.
 * When the target file is absent, or is a delta, the record may already be stored: such references
 * are collected and checked against the tenant's data when there is a lookup (import), or reported
 * as unverified when there is none (validation alone). Forward references within one file (an org
 * whose parent comes later) wait until that file has been read.
 */
export class References {
  private readonly pending: Pending[] = [];
  private readonly stored = new Map<string, Map<string, { id: string; at: RefSite; targetType: string | undefined }>>();
  private storedOverflow = 0;

  constructor(
    private readonly diagnostics: Diagnostics,
    private readonly targets: (file: string) => TargetFile | undefined,
  ) {}

  require(target: string, id: string, targetType: string | undefined, at: RefSite): void {
    const t = this.targets(target);
    if (!t) this.toStored(target, id, targetType, at);
    else if (t.state === 'broken')
      return; // its own diagnostics explain; do not cascade
    else if (t.ids.has(id)) this.checkType(t, target, id, targetType, at);
    else if (t.state === 'reading') this.pending.push({ target, id, targetType, at });
    else this.miss(t, target, id, targetType, at);
  }

  /** Resolves the forward references into a file that has now been read completely. */
  fileDone(name: string): void {
    const t = this.targets(name);
    let kept = 0;
    for (const p of this.pending) {
      if (p.target !== name) {
        this.pending[kept++] = p;
        continue;
      }
      if (!t || t.state === 'broken') continue;
      if (t.ids.has(p.id)) this.checkType(t, p.target, p.id, p.targetType, p.at);
      else this.miss(t, p.target, p.id, p.targetType, p.at);
    }
    this.pending.length = kept;
  }

  /** Checks the references to stored data (or reports them as unverified without a lookup). */
  async resolveStored(lookup: StoredLookup | undefined): Promise<void> {
    if (this.storedOverflow > 0) {
      this.diagnostics.warn(
        'ref.unverified',
        'manifest.csv',
        `${this.storedOverflow} further references to stored records were not checked (limit ${MAX_STORED_REFS} per file)`,
      );
    }
    for (const [target, refs] of this.stored) {
      if (!lookup) {
        const first = refs.values().next().value;
        this.diagnostics.warn(
          'ref.unverified',
          first?.at.file ?? `${target}.csv`,
          `${refs.size} reference(s) to ${target} name records that are not in this package (for example ${JSON.stringify(first?.id)}); they are checked against stored data when the package is imported`,
        );
        continue;
      }
      const all = [...refs.values()];
      for (let i = 0; i < all.length; i += 5000) {
        const batch = all.slice(i, i + 5000);
        const found = await lookup(target, [...new Set(batch.map((r) => r.id))]);
        for (const ref of batch) {
          const type = found.get(ref.id);
          if (type === undefined) this.report(target, ref.id, ref.at, 'neither in this package nor stored');
          else if (ref.targetType && type !== ref.targetType) this.wrongType(target, ref.id, type, ref.targetType, ref.at);
        }
      }
    }
  }

  /** Keyed by id and type constraint: `school-1` as any org and `school-1` as a school are two checks. */
  private toStored(target: string, id: string, targetType: string | undefined, at: RefSite): void {
    let refs = this.stored.get(target);
    if (!refs) {
      refs = new Map();
      this.stored.set(target, refs);
    }
    const key = targetType ? `${id}\u0000${targetType}` : id;
    if (refs.has(key)) return;
    if (refs.size >= MAX_STORED_REFS) {
      this.storedOverflow++;
      return;
    }
    refs.set(key, { id, at, targetType });
  }

  private miss(t: TargetFile, target: string, id: string, targetType: string | undefined, at: RefSite): void {
    if (t.mode === 'delta') this.toStored(target, id, targetType, at);
    else this.report(target, id, at, `not in ${target}.csv, a bulk file`);
  }

  private checkType(t: TargetFile, target: string, id: string, targetType: string | undefined, at: RefSite): void {
    if (!targetType) return;
    const type = t.orgTypes.get(id);
    if (type !== undefined && type !== targetType) this.wrongType(target, id, type, targetType, at);
  }

  private report(target: string, id: string, at: RefSite, why: string): void {
    this.diagnostics.error('ref.missing', at.file, `${at.column} ${JSON.stringify(id)} names no ${target} record (${why})`, at.line, at.column);
  }

  private wrongType(target: string, id: string, type: string, expected: string, at: RefSite): void {
    this.diagnostics.error(
      'ref.wrong-type',
      at.file,
      `${at.column} ${JSON.stringify(id)} names a ${target} record of type ${type}; it must be a ${expected}`,
      at.line,
      at.column,
    );
  }
}
