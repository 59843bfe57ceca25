/**
 * Checks and normalises filter values before they reach the database, so that a malformed value is the
 * client's `invalid_filter_field` and never a PostgreSQL cast error (a 500). Every function here
 * returns `undefined` for a value it refuses; the compiler turns that into a message.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar-valid `YYYY-MM-DD` (OneRoster's date format: fact sheet §9.2, §10.7), years 0001–9999. */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

// date [T time [:seconds [.fraction]] zone] — the zone is required with a time, because a bare local
// time would be read in the database session's time zone, which the client cannot know.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|([+\- ])(\d{2})(?::?(\d{2}))?))?$/;

/**
 * An ISO 8601 date or date-time as text PostgreSQL reads as an exact instant (for `::timestamptz`).
 * - A date alone means midnight UTC (`2015-01-01` → `2015-01-01T00:00:00Z`), the reading SDS's delta
 *   queries (`dateLastModified>'2015-01-01'`) need; left to PostgreSQL it would be midnight in the
 *   session's time zone.
 * - A date-time needs `Z` or an offset. A space where the offset's sign goes is taken for `+`: that is
 *   what an unencoded `+01:00` becomes in a query string.
 * - Offsets beyond ±14:59 (beyond any real zone, and near PostgreSQL's own limit) are refused.
 */
export function toTimestamptzText(value: string): string | undefined {
  const m = DATE_TIME.exec(value);
  if (m === null || !isIsoDate(m[1] as string)) return undefined;
  const [, date, hour, minute, second, sign, offsetHours, offsetMinutes] = m;
  if (hour === undefined) return `${date}T00:00:00Z`;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
  if (sign === undefined) return value;
  if (Number(offsetHours) > 14 || Number(offsetMinutes ?? 0) > 59) return undefined;
  // The separator must be a T, so the only space a matching value can hold is the offset's sign.
  return sign === ' ' ? value.replace(' ', '+') : value;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A finite decimal number in plain notation (`12`, `-3.5`, `.5`), as PostgreSQL's numeric reads it. */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/**
 * OneRoster booleans are the strings `true` and `false` (fact sheet §10.8); other spellings of them
 * are accepted and normalised, as EdHub is lenient about booleans it reads.
 */
export function toBooleanText(value: string): 'true' | 'false' | undefined {
  const lower = value.toLowerCase();
  return lower === 'true' || lower === 'false' ? lower : undefined;
}

/** Escapes LIKE's wildcards (and its escape character, backslash) so `~` means "contains this text". */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}
