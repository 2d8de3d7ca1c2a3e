/** Small helpers shared by the bench parts: percentiles and plain-text tables. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const ms = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/**
 * A plain-text table: first column left-aligned, the rest right-aligned (figures), unless `align`
 * says otherwise. Widths count UTF-16 units, which is fine for the ASCII this bench prints.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const alignOf = (i: number): 'l' | 'r' => align?.[i] ?? (i === 0 ? 'l' : 'r');
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (alignOf(i) === 'l' ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
