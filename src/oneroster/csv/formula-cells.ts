/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet opening an export runs a cell that
 * starts with = + - @ (or a tab or carriage return) as a formula. Free-text cells that do are written
 * with one extra leading apostrophe, which spreadsheets show as text. Cells that already start with
 * apostrophes before such a character get one more too, so the rule is reversible: the importer
 * removes exactly one, and import(export(x)) == x holds for every value. Typed columns (dates,
 * numbers, enums, sourcedIds) are never touched: their formats cannot carry a formula.
 */
const DANGEROUS = /^'*[=+\-@\t\r]/;

export function neutralizeFormula(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

export function restoreFormula(value: string): string {
  return value.startsWith("'") && DANGEROUS.test(value) ? value.slice(1) : value;
}
