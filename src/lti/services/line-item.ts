import { ID_MAX_LENGTH } from '../claims.js';
import { pointer, type ValidationProblem } from './json-pointer.js';
import { isObject } from './read-json.js';
import { LtiServiceError } from './service-errors.js';
import { isIsoDateTimeWithOffset } from './timestamps.js';

/** A line item (AGS §3.2; fact sheet §8.3); `id` is its URL. */
export interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

/** What the tool sends to create or replace one (PUT is a full replacement: AGS §3.2.5). */
export type LineItemInput = Omit<LineItem, 'id'>;

const OPTIONAL_STRINGS = ['resourceLinkId', 'resourceId', 'tag'] as const;
const DATES = ['startDateTime', 'endDateTime'] as const;

/** Problems of a line item to send: label, scoreMaximum > 0, id-sized strings, ISO dates, a boolean. */
export function lineItemInputProblems(value: unknown): ValidationProblem[] {
  if (!isObject(value)) return [{ pointer: '', message: 'a line item must be a JSON object' }];
  const problems: ValidationProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ pointer: pointer(field), message });
  if (typeof value.label !== 'string' || value.label.trim() === '') problem('label', 'label must be a non-empty string');
  if (!(typeof value.scoreMaximum === 'number' && Number.isFinite(value.scoreMaximum) && value.scoreMaximum > 0)) {
    problem('scoreMaximum', 'scoreMaximum must be a finite number > 0');
  }
  for (const field of OPTIONAL_STRINGS) {
    const v = value[field];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > ID_MAX_LENGTH))
      problem(field, `${field} must be a string of 1–${ID_MAX_LENGTH} characters`);
  }
  for (const field of DATES) {
    if (value[field] !== undefined && !isIsoDateTimeWithOffset(value[field])) problem(field, `${field} must be an ISO 8601 date-time with an offset`);
  }
  if (value.gradesReleased !== undefined && typeof value.gradesReleased !== 'boolean') problem('gradesReleased', 'gradesReleased must be a boolean');
  if ('id' in value) problem('id', 'the platform assigns the id; pass the line item URL separately');
  return problems;
}

export function checkLineItemInput(value: unknown): LineItemInput {
  const problems = lineItemInputProblems(value);
  if (problems.length > 0) {
    throw new LtiServiceError('line-item-invalid', `the line item is not valid: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`, {
      problems,
    });
  }
  return value as LineItemInput;
}

/**
 * A line item as a platform returned it, at `at` (a JSON pointer prefix into the body): id (a string),
 * label (a string) and scoreMaximum (a number) are required; optional fields of the wrong type are
 * dropped with a problem.
 */
export function readLineItem(raw: unknown, at: string): { item?: LineItem; problems: ValidationProblem[] } {
  if (!isObject(raw)) return { problems: [{ pointer: at, message: 'a line item must be a JSON object' }] };
  const problems: ValidationProblem[] = [];
  if (typeof raw.id !== 'string' || raw.id === '') problems.push({ pointer: `${at}/id`, message: 'id must be the line item URL' });
  if (typeof raw.label !== 'string') problems.push({ pointer: `${at}/label`, message: 'label must be a string' });
  if (typeof raw.scoreMaximum !== 'number' || !Number.isFinite(raw.scoreMaximum))
    problems.push({ pointer: `${at}/scoreMaximum`, message: 'scoreMaximum must be a number' });
  if (problems.length > 0) return { problems };
  const item: LineItem = { id: raw.id as string, label: raw.label as string, scoreMaximum: raw.scoreMaximum as number };
  for (const field of [...OPTIONAL_STRINGS, ...DATES]) {
    const v = raw[field];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') item[field] = v;
    else problems.push({ pointer: `${at}/${field}`, message: `${field} must be a string; ignored` });
  }
  if (typeof raw.gradesReleased === 'boolean') item.gradesReleased = raw.gradesReleased;
  return { item, problems };
}
