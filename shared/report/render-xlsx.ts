/**
 * The annual report as an .xlsx (行政执法统计年报, D13, N13), for the justice bureau and the superior
 * bureau to add up and check: sheets 总表 (the total), 分机构 (one column per agency, then 合计) and
 * 行政处罚分类 (penalties by type, one column per agency, then 合计). Row 1 holds the title, row 2 the
 * version line, row 3 the column headers; figures from row 4. Counts, percentages and yuan are number
 * cells (percentages shown with one decimal, yuan with two); a percentage with nothing to divide by
 * is the text "—".
 */
import writeXlsxFile, { type Cell, type Row, type Sheet } from 'write-excel-file/node';
import type { AnnualReport, Percent, ReportFigures } from '../domain/annual-report.ts';
import {
  BELOW_MINIMUM_LABEL,
  FIGURE_ROWS,
  ITEM_COLUMN_LABEL,
  NOT_APPLICABLE,
  PENALTY_ROWS,
  PENALTY_TYPE_COLUMN_LABEL,
  TOTAL_COLUMN_LABEL,
  type FigureKind,
  reportSubtitle,
  reportTitle,
  yesNo,
} from './figure-rows.ts';

export const SHEET_NAMES = { total: '总表', agencies: '分机构', penalties: '行政处罚分类' } as const;
/** The sheet row (1-based) of the column headers; figures start on the next row. */
export const HEADER_ROW = 3;

const FORMATS: Record<FigureKind, string> = { count: '0', percent: '0.0', yuan: '#,##0.00' };
const headerCell = (value: string): Cell => ({
  value,
  fontWeight: 'bold',
  align: 'center',
  alignVertical: 'center',
  wrap: true,
  backgroundColor: '#E6ECF5',
  borderStyle: 'thin',
});
const labelCell = (value: string): Cell => ({ value, borderStyle: 'thin' });

/** A figure as a number cell; yuan come as decimal strings in the JSON and are written as numbers. */
function figureCell(kind: FigureKind, value: number | Percent | string): Cell {
  if (value === null) return { value: NOT_APPLICABLE, align: 'right', borderStyle: 'thin' };
  const number = kind === 'percent' ? Math.round(Number(value) * 10) / 10 : Number(value);
  return { value: number, type: Number, format: FORMATS[kind], borderStyle: 'thin' };
}

export async function renderReportXlsx(report: AnnualReport): Promise<Buffer> {
  const columns: { name: string; figures: ReportFigures }[] = [
    ...report.agencies.map((a) => ({ name: a.agencyName, figures: a })),
    { name: TOTAL_COLUMN_LABEL, figures: report.total },
  ];
  const heading = (width: number): Row[] => [
    [{ value: reportTitle(report), fontWeight: 'bold', fontSize: 14, columnSpan: width }, ...blank(width - 1)],
    [
      {
        value: report.correction
          ? `${reportSubtitle(report)}；更正第 ${report.correction.previousVersion} 版：${report.correction.reason}`
          : reportSubtitle(report),
        columnSpan: width,
      },
      ...blank(width - 1),
    ],
  ];
  const width = columns.length + 1;
  const valueColumns = columns.map(() => ({ width: 16 }));

  const sheets: Sheet<never>[] = [
    {
      sheet: SHEET_NAMES.total,
      data: [
        ...heading(2),
        [headerCell(ITEM_COLUMN_LABEL), headerCell(TOTAL_COLUMN_LABEL)],
        ...FIGURE_ROWS.map((r) => [labelCell(r.label), figureCell(r.kind, r.value(report.total))]),
        [labelCell(BELOW_MINIMUM_LABEL), { value: yesNo(report.total.reviewers.belowMinimum), align: 'right', borderStyle: 'thin' }],
      ],
      columns: [{ width: 30 }, { width: 18 }],
      stickyRowsCount: HEADER_ROW,
    },
    {
      sheet: SHEET_NAMES.agencies,
      data: [
        ...heading(width),
        [headerCell(ITEM_COLUMN_LABEL), ...columns.map((c) => headerCell(c.name))],
        ...FIGURE_ROWS.map((r) => [labelCell(r.label), ...columns.map((c) => figureCell(r.kind, r.value(c.figures)))]),
        [
          labelCell(BELOW_MINIMUM_LABEL),
          ...columns.map((c): Cell => ({ value: yesNo(c.figures.reviewers.belowMinimum), align: 'right', borderStyle: 'thin' })),
        ],
      ],
      columns: [{ width: 30 }, ...valueColumns],
      stickyRowsCount: HEADER_ROW,
      stickyColumnsCount: 1,
    },
    {
      sheet: SHEET_NAMES.penalties,
      data: [
        ...heading(width),
        [headerCell(PENALTY_TYPE_COLUMN_LABEL), ...columns.map((c) => headerCell(c.name))],
        ...PENALTY_ROWS.map((p) => [labelCell(p.label), ...columns.map((c) => figureCell('count', c.figures.penalties.byType[p.type]))]),
        [labelCell(TOTAL_COLUMN_LABEL), ...columns.map((c) => figureCell('count', c.figures.penalties.total))],
      ],
      columns: [{ width: 22 }, ...valueColumns],
      stickyRowsCount: HEADER_ROW,
      stickyColumnsCount: 1,
    },
  ];
  return writeXlsxFile(sheets).toBuffer();
}

/** The cells a column span covers are still written, as empty cells. */
const blank = (count: number): null[] => Array.from({ length: Math.max(0, count) }, () => null);
