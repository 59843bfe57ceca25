/**
 * Reads a OneRoster error body (`imsx_StatusInfoDType`, fact sheet §5.1). Providers send it in three
 * shapes, and a consumer must accept all of them:
 *   1. unwrapped, as the 1.2 OpenAPI files declare it: `{ imsx_codeMajor, imsx_severity, … }`;
 *   2. `{ imsx_statusInfo: { … } }` (Moodle's certified consumer tests this one);
 *   3. `{ imsx_StatusInfo: { … } }` (LongsightGroup/oneroster).
 */
export interface StatusInfo {
  codeMajor?: string;
  severity?: string;
  /** The first `imsx_codeMinorFieldValue` (e.g. `unknownobject`, `invalid_filter_field`). */
  codeMinor?: string;
  description?: string;
}

export function parseStatusInfo(body: unknown): StatusInfo | undefined {
  if (!isObject(body)) return undefined;
  const info = isObject(body.imsx_statusInfo) ? body.imsx_statusInfo : isObject(body.imsx_StatusInfo) ? body.imsx_StatusInfo : body;
  const parsed: StatusInfo = {};
  const codeMajor = text(info.imsx_codeMajor);
  if (codeMajor !== undefined) parsed.codeMajor = codeMajor;
  const severity = text(info.imsx_severity);
  if (severity !== undefined) parsed.severity = severity;
  const description = text(info.imsx_description);
  if (description !== undefined) parsed.description = description;
  const codeMinor = firstCodeMinor(info.imsx_CodeMinor ?? info.imsx_codeMinor);
  if (codeMinor !== undefined) parsed.codeMinor = codeMinor;
  return Object.keys(parsed).length > 0 ? parsed : undefined;
}

/** `{ imsx_codeMinorField: [{ imsx_codeMinorFieldName, imsx_codeMinorFieldValue }] }`; a lone object is tolerated. */
function firstCodeMinor(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const fields = value.imsx_codeMinorField;
  const first = Array.isArray(fields) ? fields[0] : fields;
  return isObject(first) ? text(first.imsx_codeMinorFieldValue) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
