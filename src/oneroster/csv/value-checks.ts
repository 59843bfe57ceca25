import type { DiagnosticCode } from './diagnostics.js';
import { type ColumnSpec, FORMATS, VOCABULARIES } from './spec.js';

/** One failed value check; the caller adds file, line and column. */
export interface ValueProblem {
  code: Extract<DiagnosticCode, 'value.format' | 'value.enum' | 'value.list'>;
  message: string;
}
export type ValueCheck = (value: string) => ValueProblem | undefined;

const FLOAT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const USER_ID_ITEM = /^\{[^{}:]+:[^{}]*\}$/;
const SCORE_SCALE_ITEM = /^\{[^{}:]*:[^{}]*\}$/;

/** Lists are comma-separated inside one field (§8.1), with no empty items. */
export function splitList(value: string): string[] {
  return value.split(',');
}

function calendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export const date: ValueCheck = (v) =>
  FORMATS.date.test(v) && calendarDate(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10)))
    ? undefined
    : { code: 'value.format', message: `${quote(v)} is not a date (YYYY-MM-DD)` };

export const dateTime: ValueCheck = (v) => {
  const ok =
    FORMATS.datetime.test(v) &&
    calendarDate(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))) &&
    Number(v.slice(11, 13)) < 24 &&
    Number(v.slice(14, 16)) < 60 &&
    Number(v.slice(17, 19)) < 60;
  return ok ? undefined : { code: 'value.format', message: `${quote(v)} is not a UTC date-time (YYYY-MM-DDTHH:MM:SS.sssZ)` };
};

export const guid: ValueCheck = (v) =>
  FORMATS.guid.test(v) ? undefined : { code: 'value.format', message: `${quote(v)} is not a sourcedId (1–255 of A–Z a–z 0–9 . / @ _ -)` };

function enumCheck(vocabularyName: string): ValueCheck {
  const vocab = VOCABULARIES.get(vocabularyName);
  if (!vocab) throw new Error(`standards/oneroster/csv.json: unknown vocabulary ${vocabularyName}`);
  const allowed = [...vocab.values].join(', ');
  return (v) =>
    vocab.values.has(v) || (vocab.extensible && FORMATS.extension.test(v))
      ? undefined
      : { code: 'value.enum', message: `${quote(v)} is not one of ${allowed}${vocab.extensible ? ' (or an ext: token)' : ''}` };
}

function listOf(item: ValueCheck | undefined, what: string): ValueCheck {
  return (v) => {
    const items = splitList(v);
    for (const [i, x] of items.entries()) {
      if (x === '') return { code: 'value.list', message: `item ${i + 1} of the ${what} list is empty` };
      const p = item?.(x);
      if (p) return { code: p.code, message: `item ${i + 1}: ${p.message}` };
    }
    return undefined;
  };
}

function pattern(re: RegExp, description: string): ValueCheck {
  return (v) => (re.test(v) ? undefined : { code: 'value.format', message: `${quote(v)} is not ${description}` });
}

/** The check for a non-empty value of this column; emptiness is the caller's (required) concern. */
export function checkFor(column: ColumnSpec): ValueCheck | undefined {
  switch (column.kind) {
    case 'string':
      return undefined;
    case 'date':
      return date;
    case 'datetime':
      return dateTime;
    case 'year':
      return pattern(FORMATS.year, 'a year (YYYY)');
    case 'boolean':
      return (v) => (v === 'true' || v === 'false' ? undefined : { code: 'value.format', message: `${quote(v)} is not true or false` });
    case 'float':
      return (v) => (FLOAT.test(v) && Number.isFinite(Number(v)) ? undefined : { code: 'value.format', message: `${quote(v)} is not a number` });
    case 'enum':
      return enumCheck(column.vocabulary as string);
    case 'enumList':
      return listOf(enumCheck(column.vocabulary as string), column.name);
    case 'list':
      return listOf(undefined, column.name);
    case 'ref':
      return guid;
    case 'refList':
      return listOf(guid, column.name);
    case 'userIds':
      return listOf(pattern(USER_ID_ITEM, 'a {type:identifier} item'), column.name);
    case 'scoreScaleValue':
      return listOf(pattern(SCORE_SCALE_ITEM, 'a {lhs:rhs} item'), column.name);
    default: {
      const never: never = column.kind;
      throw new Error(`unknown column kind ${never}`);
    }
  }
}

function quote(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}
