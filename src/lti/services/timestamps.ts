/**
 * AGS timestamps (§3.4 `timestamp`, `submission.*`; §3.2 `startDateTime`, `endDateTime`): ISO 8601
 * date-times with an explicit offset (Z or ±hh:mm) — a local time without one would be read
 * differently by each platform. Sub-second digits are optional here: the spec asks senders for
 * sub-second precision, which scoreTimestamp() gives, but a caller's whole-second time is still a time.
 */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}

/** A score timestamp with millisecond precision, in UTC. */
export function scoreTimestamp(at: Date): string {
  return at.toISOString();
}
