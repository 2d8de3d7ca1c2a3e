/**
 * Horizontal bar charts as inline SVG, built on the server: no script, no inline style (the CSP allows
 * none), only presentation attributes. Each chart is an image with a label that reads out every figure,
 * and the same figures follow in a plain table for screen readers and for copying.
 */
import { html, type Html } from './html.ts';

export interface ChartSeries {
  readonly name: string;
  /** A fill with at least 3:1 contrast against white (WCAG 1.4.11). */
  readonly fill: string;
}

export interface ChartRow {
  readonly label: string;
  /** One value per series; null when there is nothing to show (e.g. a rate with nothing to divide). */
  readonly values: readonly (number | null)[];
  /** How each value is written (defaults to the number and the chart's unit). */
  readonly texts?: readonly string[];
}

export interface BarChartOptions {
  /** Unique within the page (ids of the title and the table). */
  readonly id: string;
  readonly title: string;
  /** Written after plain numbers: 件, 元, %. */
  readonly unit: string;
  readonly rows: readonly ChartRow[];
  /** Two or more series draw grouped bars with a legend (e.g. this year and last). */
  readonly series?: readonly ChartSeries[];
  /** The value of a full-length bar (e.g. 100 for a rate); defaults to the largest value. */
  readonly max?: number;
  /** Heading of the table's first column. */
  readonly rowHeading?: string;
}

export const CHART_COLOURS = { primary: '#0b4f8a', secondary: '#6b7280' } as const;

// Labels sit above their bars, so long names are never cut and the bars get the whole width: at 360
// units wide the chart is drawn about 1:1 on a phone, text at the size of the page's small print.
const WIDTH = 360;
const VALUE_WIDTH = 120;
const LABEL_HEIGHT = 20;
const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const ROW_GAP = 10;
const FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** The text of one value. */
function textOf(row: ChartRow, i: number, unit: string): string {
  const given = row.texts?.[i];
  if (given !== undefined) return given;
  const v = row.values[i];
  return v === null || v === undefined ? '无数据' : `${v.toLocaleString('zh-CN')} ${unit}`.trim();
}

/** One sentence with every figure: what the image says, for those who cannot see it. */
export function chartSummary(o: BarChartOptions): string {
  const series = o.series ?? [{ name: '', fill: CHART_COLOURS.primary }];
  const parts = o.rows.map((r) => {
    const values = series.map((s, i) => (series.length > 1 ? `${s.name} ${textOf(r, i, o.unit)}` : textOf(r, i, o.unit)));
    return `${r.label} ${values.join('，')}`;
  });
  return `${o.title}：${parts.join('；')}`;
}

export function barChart(o: BarChartOptions): Html {
  const series = o.series ?? [{ name: '数值', fill: CHART_COLOURS.primary }];
  const n = series.length;
  const legend = (n > 1 ? 26 : 0) + 4;
  const rowHeight = LABEL_HEIGHT + n * BAR_HEIGHT + (n - 1) * BAR_GAP + ROW_GAP;
  const height = legend + o.rows.length * rowHeight;
  const largest = Math.max(0, ...o.rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const max = o.max ?? largest;
  const span = WIDTH - VALUE_WIDTH;
  const summary = chartSummary(o);

  const legendMarks = series.map((s, i) => {
    const x = i * 120;
    return html`<rect x="${x}" y="4" width="14" height="14" fill="${s.fill}"></rect><text x="${x + 20}" y="16" font-size="14" fill="#1a1a1a">${s.name}</text>`;
  });
  const bars = o.rows.map((r, ri) => {
    const top = legend + ri * rowHeight;
    const marks = series.map((s, si) => {
      const v = r.values[si] ?? null;
      const y = top + LABEL_HEIGHT + si * (BAR_HEIGHT + BAR_GAP);
      const w = v === null || max <= 0 ? 0 : Math.max(v > 0 ? 2 : 0, Math.round((Math.min(v, max) / max) * span));
      return html`<rect x="0" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${s.fill}"></rect><text x="${w + 6}" y="${y + 13}" font-size="13" fill="#1a1a1a">${textOf(r, si, o.unit)}</text>`;
    });
    return html`<g><text x="0" y="${top + 15}" font-size="14" fill="#1a1a1a">${r.label}</text>${marks}</g>`;
  });

  const head = n > 1 ? series.map((s) => html`<th scope="col">${s.name}</th>`) : html`<th scope="col">${o.unit ? `数值（${o.unit}）` : '数值'}</th>`;
  const cell = (r: ChartRow, i: number): string => {
    const t = textOf(r, i, o.unit);
    // A single series' column names the unit already: the cell shows the number as written.
    return n === 1 && r.texts?.[i] === undefined && r.values[i] !== null ? (r.values[i] ?? 0).toLocaleString('zh-CN') : t;
  };
  return html`<figure class="chart" aria-labelledby="${o.id}-caption">
<figcaption id="${o.id}-caption">${o.title}</figcaption>
<svg role="img" aria-label="${summary}" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="${FONT}" xmlns="http://www.w3.org/2000/svg">
<title>${summary}</title>
${legendMarks.length > 1 ? legendMarks : ''}${bars}
</svg>
<details class="chart-table"><summary>查看数据表</summary>
<div class="table-scroll" role="region" tabindex="0" aria-label="${o.title}（数据表）"><table class="list chart-data" id="${o.id}-table">
<caption>${o.title}（数据表）</caption>
<thead><tr><th scope="col">${o.rowHeading ?? '项目'}</th>${head}</tr></thead>
<tbody>${o.rows.map((r) => html`<tr><th scope="row">${r.label}</th>${series.map((_, i) => html`<td class="num">${cell(r, i)}</td>`)}</tr>`)}</tbody>
</table></div>
</details>
</figure>`;
}
