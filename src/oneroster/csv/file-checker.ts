import type { Diagnostics } from './diagnostics.js';
import { IdSet } from './id-set.js';
import type { PrimaryOrgRule } from './primary-org-rule.js';
import type { References } from './references.js';
import type { FileMode, FileSpec } from './spec.js';
import { checkFor, dateTime, guid, splitList, type ValueCheck } from './value-checks.js';

const CASE_ID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CompiledColumn {
  index: number;
  name: string;
  required: boolean;
  check: ValueCheck | undefined;
  ref?: { target: string; targetType?: string; list: boolean };
}

/**
 * Checks the rows of one file against its spec, row by row (§8.1, §8.2, §8.5, §8.7, §8.8): width,
 * base columns per mode, required values, value formats, uniqueness of sourcedId, references (handed
 * to References) and the semantic rules that need no other file. Returns whether the row is clean.
 */
export class FileChecker {
  readonly ids = new IdSet();
  /** For orgs: each org's type, for the `schoolSourcedId must name a school` checks. */
  readonly orgTypes = new Map<string, string>();
  rows = 0;
  private readonly columns: CompiledColumn[];
  private readonly primaryRoles = new IdSet();
  private readonly typeIndex: number;
  private readonly width: number;

  constructor(
    readonly spec: FileSpec,
    readonly mode: Exclude<FileMode, 'absent'>,
    readonly header: string[],
    private readonly diagnostics: Diagnostics,
    private readonly references: References,
    private readonly primaryOrg?: PrimaryOrgRule,
  ) {
    this.width = header.length;
    this.columns = spec.columns.map((c, i) => ({
      index: i + 3,
      name: c.name,
      required: c.required,
      check: checkFor(c),
      ...(c.target ? { ref: { target: c.target, targetType: c.targetType, list: c.kind === 'refList' } } : {}),
    }));
    this.typeIndex = spec.name === 'orgs' ? header.indexOf('type') : -1;
  }

  check(fields: string[], line: number): boolean {
    this.rows++;
    const file = `${this.spec.name}.csv`;
    const d = this.diagnostics;
    if (fields.length !== this.width) {
      d.error('row.width', file, `the row has ${fields.length} fields; the header has ${this.width}`, line);
      return false;
    }
    const errorsBefore = d.errors;
    const sourcedId = fields[0] as string;
    if (sourcedId === '') d.error('value.required', file, 'sourcedId is required', line, 'sourcedId');
    else {
      const p = guid(sourcedId);
      if (p) d.error(p.code, file, p.message, line, 'sourcedId');
      else if (!this.ids.add(sourcedId))
        d.error('unique.duplicate', file, `sourcedId ${JSON.stringify(sourcedId)} appears more than once in this file`, line, 'sourcedId');
    }

    const deleting = this.checkBase(fields, line, file);
    for (const c of this.columns) {
      const v = fields[c.index] as string;
      if (v === '') {
        if (c.required && !deleting) d.error('value.required', file, `${c.name} is required`, line, c.name);
        continue;
      }
      if (v.includes('\n') || v.includes('\r')) {
        d.error('value.format', file, 'line breaks are not allowed inside a field', line, c.name);
        continue;
      }
      const p = c.check?.(v);
      if (p) {
        d.error(p.code, file, p.message, line, c.name);
        continue;
      }
      if (c.ref) for (const id of c.ref.list ? splitList(v) : [v]) this.references.require(c.ref.target, id, c.ref.targetType, { file, line, column: c.name });
    }
    if (!deleting) this.checkRules(fields, line, file);
    if (this.typeIndex >= 0 && sourcedId !== '') this.orgTypes.set(sourcedId, fields[this.typeIndex] as string);
    return d.errors === errorsBefore;
  }

  /** status and dateLastModified: blank in bulk files, required in delta files (§8.5). Returns whether the row deletes. */
  private checkBase(fields: string[], line: number, file: string): boolean {
    const d = this.diagnostics;
    const status = fields[1] as string;
    const modified = fields[2] as string;
    if (this.mode === 'bulk') {
      if (status !== '') d.error('value.forbidden-in-bulk', file, 'status must be blank in a bulk file', line, 'status');
      if (modified !== '') d.error('value.forbidden-in-bulk', file, 'dateLastModified must be blank in a bulk file', line, 'dateLastModified');
      return false;
    }
    if (status === '') d.error('value.required', file, 'status is required in a delta file', line, 'status');
    else if (status === 'inactive') d.warn('value.inactive-status', file, 'status inactive is OneRoster 1.0; it is read as tobedeleted', line, 'status');
    else if (status !== 'active' && status !== 'tobedeleted')
      d.error('value.enum', file, `${JSON.stringify(status)} is not one of active, tobedeleted`, line, 'status');
    if (modified === '') d.error('value.required', file, 'dateLastModified is required in a delta file', line, 'dateLastModified');
    else {
      const p = dateTime(modified);
      if (p) d.error(p.code, file, p.message, line, 'dateLastModified');
    }
    return status === 'tobedeleted' || status === 'inactive';
  }

  /** Semantic rules of §8.8 that a single row (and this file's memory) can decide. */
  private checkRules(fields: string[], line: number, file: string): void {
    const d = this.diagnostics;
    const at = (name: string) => fields[this.header.indexOf(name)] ?? '';
    switch (this.spec.name) {
      case 'lineItems': {
        const min = at('resultValueMin');
        const max = at('resultValueMax');
        if (min !== '' && max !== '' && Number(min) > Number(max))
          d.error('rule.value-range', file, `resultValueMin ${min} is greater than resultValueMax ${max}`, line, 'resultValueMin');
        break;
      }
      case 'users': {
        const org = at('primaryOrgSourcedId');
        if (org !== '' && this.primaryOrg) this.primaryOrg.claim(fields[0] as string, org, line);
        break;
      }
      case 'roles':
        this.primaryOrg?.role(at('userSourcedId'), at('orgSourcedId'));
        if (at('roleType') === 'primary' && !this.primaryRoles.add(`${at('userSourcedId')}\u0000${at('orgSourcedId')}`)) {
          d.error('rule.primary-role', file, `user ${at('userSourcedId')} already has a primary role at org ${at('orgSourcedId')}`, line, 'roleType');
        }
        break;
      case 'lineItemLearningObjectiveIds':
      case 'resultLearningObjectiveIds':
        if (at('source') === 'case' && !CASE_ID.test(at('learningObjectiveId'))) {
          d.error('rule.case-identifier', file, 'with source case, learningObjectiveId must be a urn:uuid: CASE identifier', line, 'learningObjectiveId');
        }
        break;
      default:
        break;
    }
  }
}
