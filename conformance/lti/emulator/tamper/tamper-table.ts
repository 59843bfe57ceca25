import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../../src/paths.js';

/** A path into the JWT header, the claims (first segment may be prefixed, e.g. "lti:version") or the posted form. */
export type EditPath = string[];
export type Edit = { op: 'set'; path: EditPath; value: unknown } | { op: 'remove'; path: EditPath; ifPresent?: boolean };
export type SignatureTamper = 'none' | 'hs256-public-key' | 'foreign-key';

/** One way to break a launch on purpose (conformance/lti/tamper-cases.json). */
export interface Tamper {
  id: string;
  /** The 1EdTech certification case it reproduces, where there is one. */
  cert?: string;
  /** The one defect it introduces, in words. */
  defect: string;
  header?: Edit[];
  claims?: Edit[];
  formPost?: Edit[];
  signature?: SignatureTamper;
  format?: 'two-parts';
}

export const TAMPER_CASES_FILE = join(projectRoot, 'conformance/lti/tamper-cases.json');

export class TamperTable {
  private readonly byId: Map<string, Tamper>;

  constructor(tampers: Tamper[]) {
    this.byId = new Map(tampers.map((t) => [t.id, t]));
  }

  static load(file = TAMPER_CASES_FILE): TamperTable {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { tampers?: unknown };
    if (!Array.isArray(data.tampers)) throw new Error(`${file}: expected a "tampers" array`);
    return new TamperTable(data.tampers.map((t, i) => checkTamper(t, `${file} tampers[${i}]`)));
  }

  list(): Tamper[] {
    return [...this.byId.values()];
  }

  get(id: string): Tamper {
    const tamper = this.byId.get(id);
    if (!tamper) throw new Error(`unknown tamper "${id}"; known: ${[...this.byId.keys()].join(', ')}`);
    return tamper;
  }
}

function checkTamper(value: unknown, where: string): Tamper {
  const t = value as Tamper;
  if (typeof t?.id !== 'string' || typeof t.defect !== 'string') throw new Error(`${where}: needs a string id and defect`);
  for (const list of [t.header, t.claims, t.formPost]) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`${where}: header, claims and formPost are lists of edits`);
    for (const edit of list) {
      if ((edit.op !== 'set' && edit.op !== 'remove') || !Array.isArray(edit.path) || edit.path.length === 0) {
        throw new Error(`${where}: each edit is {op: set|remove, path: [...]}`);
      }
    }
  }
  if (t.signature !== undefined && !['none', 'hs256-public-key', 'foreign-key'].includes(t.signature)) throw new Error(`${where}: unknown signature tamper`);
  if (t.format !== undefined && t.format !== 'two-parts') throw new Error(`${where}: unknown format tamper`);
  return t;
}
