/** Helpers for the text (non --json) output of CLI commands. */

/** Page size that lists everything: commands print whole lists, the API pages them. */
export const ALL = 1_000_000;

/** Rows as left-aligned columns two spaces apart (the first row is the header). */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
