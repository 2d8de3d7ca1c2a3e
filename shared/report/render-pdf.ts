/**
 * The annual report as a PDF (行政执法统计年报, D13, N13): A4 portrait, the title, then three tables —
 * the total (总表), penalties by type per agency (行政处罚分类) and the figures per agency (分机构统计).
 * Agencies are columns; when they do not fit the page width the table is cut into column groups, each
 * repeating the row labels, and a table that runs past the page bottom goes on with its header repeated.
 * Page numbers at the foot. All text is set in the one CJK font of font.ts, subset to the glyphs used.
 */
import PDFDocument from 'pdfkit';
import { drawPageFooters } from './page-footer.ts';
import type { AgencyReport, AnnualReport, ReportFigures } from '../domain/annual-report.ts';
import {
  BELOW_MINIMUM_LABEL,
  FIGURE_ROWS,
  FIGURES_NOTE,
  ITEM_COLUMN_LABEL,
  PENALTY_ROWS,
  PENALTY_TYPE_COLUMN_LABEL,
  TOTAL_COLUMN_LABEL,
  formatFigure,
  reportSubtitle,
  reportTitle,
  yesNo,
} from './figure-rows.ts';
import { reportFontPath } from './font.ts';

type Doc = PDFKit.PDFDocument;

const MARGIN = 42;
/** Room kept under the tables for the page number. */
const FOOTER_HEIGHT = 20;
const SIZE = { title: 16, subtitle: 9.5, heading: 11.5, cell: 8.5, note: 8, footer: 8 } as const;
const PAD_X = 4;
const PAD_Y = 3.5;
/** A value column never gets narrower than this (about six Chinese characters at the cell size)… */
const MIN_VALUE_WIDTH = 58;
/** …nor wider than this, so that a one-column table does not stretch across the page. */
const MAX_VALUE_WIDTH = 120;
const COLOR = { text: '#000000', muted: '#444444', rule: '#8c8c8c', headerFill: '#e6ecf5', totalFill: '#f4f4f4' } as const;

interface TableSpec {
  /** Shown above the table, and again, marked 续, above its continuations. */
  readonly caption: string;
  /** Header of the row-label column, then of each value column. */
  readonly header: readonly string[];
  /** Each row: its label, then one text per value column. */
  readonly rows: readonly (readonly string[])[];
  /** Value columns whose cells are shaded (the 合计 column). */
  readonly shadeColumns?: ReadonlySet<number>;
  readonly note?: string;
}

export async function renderReportPdf(report: AnnualReport): Promise<Buffer> {
  const title = reportTitle(report);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    font: reportFontPath(),
    bufferPages: true, // page numbers need the page count, known only at the end
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: title,
      Author: report.bureauName,
      Subject: `${report.year} 年度行政执法统计年报（第 ${report.version} 版）`,
      Creator: 'three-systems',
      // The generation time, not the wall clock, so that one report version always gives the same file.
      CreationDate: new Date(report.generatedAt),
      ModDate: new Date(report.generatedAt),
    },
  });
  const done = collect(doc);

  drawTitle(doc, report, title);
  const columns = valueColumns(report);

  drawTable(doc, {
    caption: '一、总表',
    header: [ITEM_COLUMN_LABEL, TOTAL_COLUMN_LABEL],
    rows: [
      ...FIGURE_ROWS.map((r) => [r.label, formatFigure(r.kind, r.value(report.total))]),
      [BELOW_MINIMUM_LABEL, yesNo(report.total.reviewers.belowMinimum)],
    ],
    note: FIGURES_NOTE,
  });

  // Column 0 holds the row labels, so the 合计 column (the last of `columns`) is number columns.length.
  const shadeColumns = new Set([columns.length]);
  const severity = report.penaltySeverityOrder.map((type) => PENALTY_ROWS.find((p) => p.type === type)?.label ?? type);
  drawTable(doc, {
    caption: '二、行政处罚决定分类（件）',
    header: [PENALTY_TYPE_COLUMN_LABEL, ...columns.map((c) => c.name)],
    rows: [
      ...PENALTY_ROWS.map((p) => [p.label, ...columns.map((c) => String(c.figures.penalties.byType[p.type]))]),
      [TOTAL_COLUMN_LABEL, ...columns.map((c) => String(c.figures.penalties.total))],
    ],
    shadeColumns,
    note:
      severity.length > 0
        ? `注：同时给予多种处罚的决定，按其中最重的一种计一次；轻重顺序（由重到轻）：${severity.join('、')}。`
        : undefined,
  });

  drawTable(doc, {
    caption: '三、分机构统计',
    header: [ITEM_COLUMN_LABEL, ...columns.map((c) => c.name)],
    rows: [
      ...FIGURE_ROWS.map((r) => [r.label, ...columns.map((c) => formatFigure(r.kind, r.value(c.figures)))]),
      [BELOW_MINIMUM_LABEL, ...columns.map((c) => yesNo(c.figures.reviewers.belowMinimum))],
    ],
    shadeColumns,
  });

  drawPageNumbers(doc);
  doc.end();
  return done;
}

/** The agencies in the report's order, then the total. */
function valueColumns(report: AnnualReport): { name: string; figures: ReportFigures }[] {
  return [
    ...report.agencies.map((a: AgencyReport) => ({ name: a.agencyName, figures: a })),
    { name: TOTAL_COLUMN_LABEL, figures: report.total },
  ];
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottomLimit = (doc: Doc): number => doc.page.height - doc.page.margins.bottom - FOOTER_HEIGHT;

function drawTitle(doc: Doc, report: AnnualReport, title: string): void {
  const x = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.fillColor(COLOR.text).fontSize(SIZE.title).text(title, x, doc.page.margins.top, { width, align: 'center' });
  doc.moveDown(0.3);
  doc.fillColor(COLOR.muted).fontSize(SIZE.subtitle).text(reportSubtitle(report), x, doc.y, { width, align: 'center' });
  if (report.correction) {
    doc.moveDown(0.2);
    doc.text(`更正说明（更正第 ${report.correction.previousVersion} 版）：${report.correction.reason}`, x, doc.y, {
      width,
      align: 'center',
    });
  }
  doc.fillColor(COLOR.text);
  doc.y += 10;
}

/** Column widths: the label column as wide as its longest label (within limits), value columns equal. */
function layout(doc: Doc, table: TableSpec): { labelWidth: number; valueWidth: number; groups: number[][] } {
  doc.fontSize(SIZE.cell);
  const width = contentWidth(doc);
  const labels = [table.header[0] ?? '', ...table.rows.map((r) => r[0] ?? '')];
  const labelWidth = Math.min(Math.max(...labels.map((l) => doc.widthOfString(l))) + 2 * PAD_X + 1, width * 0.4);
  const values = table.rows.flatMap((r) => r.slice(1));
  const widestValue = Math.max(0, ...values.map((v) => doc.widthOfString(v))) + 2 * PAD_X + 1;
  const minValueWidth = Math.max(MIN_VALUE_WIDTH, widestValue);
  const valueCount = table.header.length - 1;
  const perGroupMax = Math.max(1, Math.floor((width - labelWidth) / minValueWidth));
  const groupCount = Math.ceil(valueCount / perGroupMax);
  const perGroup = Math.ceil(valueCount / groupCount);
  const valueWidth = Math.min(MAX_VALUE_WIDTH, (width - labelWidth) / perGroup);
  const groups: number[][] = [];
  for (let start = 1; start <= valueCount; start += perGroup) {
    groups.push(Array.from({ length: Math.min(perGroup, valueCount - start + 1) }, (_, i) => start + i));
  }
  return { labelWidth, valueWidth, groups };
}

function rowHeight(doc: Doc, cells: readonly string[], widths: readonly number[]): number {
  doc.fontSize(SIZE.cell);
  const heights = cells.map((text, i) => doc.heightOfString(text, { width: (widths[i] ?? 0) - 2 * PAD_X }));
  return Math.max(...heights) + 2 * PAD_Y;
}

function drawTable(doc: Doc, table: TableSpec): void {
  const { labelWidth, valueWidth, groups } = layout(doc, table);
  groups.forEach((group, groupIndex) => {
    const columnIndexes = [0, ...group];
    const widths = columnIndexes.map((i) => (i === 0 ? labelWidth : valueWidth));
    const header = columnIndexes.map((i) => table.header[i] ?? '');
    const headerHeight = rowHeight(doc, header, widths);
    const partOf = groups.length > 1 ? `（${groupIndex + 1}/${groups.length}）` : '';
    const captionHeight = SIZE.heading * 1.6;

    const startPage = (continued: boolean): void => {
      const caption = `${table.caption}${partOf}${continued ? '（续）' : ''}`;
      doc.fillColor(COLOR.text).fontSize(continued ? SIZE.cell : SIZE.heading);
      doc.text(caption, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
      doc.y += 3;
      drawRow(doc, header, widths, columnIndexes, { header: true, shade: table.shadeColumns });
    };

    const rowHeights = table.rows.map((row) => rowHeight(doc, pick(row, columnIndexes), widths));
    const bodyHeight = rowHeights.reduce((sum, h) => sum + h, 0);
    const fullPage = bottomLimit(doc) - doc.page.margins.top;
    // A table that fits on one page is not cut; a longer one starts where at least two rows fit.
    const wholeTable = captionHeight + headerHeight + bodyHeight;
    const needed = wholeTable <= fullPage ? wholeTable : captionHeight + headerHeight + (rowHeights[0] ?? 0) * 2;
    if (doc.y + needed > bottomLimit(doc)) doc.addPage();
    startPage(false);

    table.rows.forEach((row, rowIndex) => {
      const cells = pick(row, columnIndexes);
      if (doc.y + (rowHeights[rowIndex] ?? 0) > bottomLimit(doc)) {
        doc.addPage();
        startPage(true);
      }
      drawRow(doc, cells, widths, columnIndexes, { header: false, shade: table.shadeColumns });
    });
    doc.y += 12;
  });

  if (table.note) {
    doc.fontSize(SIZE.note).fillColor(COLOR.muted);
    const height = doc.heightOfString(table.note, { width: contentWidth(doc) });
    if (doc.y + height > bottomLimit(doc)) doc.addPage();
    doc.y -= 6;
    doc.text(table.note, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
    doc.fillColor(COLOR.text);
    doc.y += 12;
  }
}

const pick = (row: readonly string[], indexes: readonly number[]): string[] => indexes.map((i) => row[i] ?? '');

function drawRow(
  doc: Doc,
  cells: readonly string[],
  widths: readonly number[],
  columnIndexes: readonly number[],
  style: { header: boolean; shade: ReadonlySet<number> | undefined },
): void {
  const height = rowHeight(doc, cells, widths);
  const top = doc.y;
  let x = doc.page.margins.left;
  cells.forEach((text, i) => {
    const width = widths[i] ?? 0;
    const shaded = style.header || (i > 0 && style.shade?.has(columnIndexes[i] ?? -1) === true);
    if (shaded) {
      doc.rect(x, top, width, height).fill(style.header ? COLOR.headerFill : COLOR.totalFill);
    }
    doc.lineWidth(0.5).strokeColor(COLOR.rule).rect(x, top, width, height).stroke();
    const align = style.header ? 'center' : i === 0 ? 'left' : 'right';
    doc.fillColor(COLOR.text).fontSize(SIZE.cell);
    // Header texts are centred vertically (agency names wrap to different numbers of lines).
    const textHeight = doc.heightOfString(text, { width: width - 2 * PAD_X });
    const y = style.header ? top + (height - textHeight) / 2 : top + PAD_Y;
    doc.text(text, x + PAD_X, y, { width: width - 2 * PAD_X, align });
    x += width;
  });
  doc.x = doc.page.margins.left;
  doc.y = top + height;
}

const drawPageNumbers = (doc: Doc): void => drawPageFooters(doc, (page, count) => `第 ${page} 页 / 共 ${count} 页`, { size: SIZE.footer, color: COLOR.muted, top: (height, bottom) => height - bottom - SIZE.footer });
