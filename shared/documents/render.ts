/**
 * A filled penalty-procedure document as a PDF (P7): A4 portrait; the agency's name centred at the
 * top, the title in large type, the document number under it and a rule; then the blocks in order —
 * paragraphs and lists that wrap and run on across pages, bordered label-value tables whose rows
 * split across pages when a value is longer than a page, lines to sign by hand, and the agency's name
 * over the document's date (2026年12月2日) where the seal goes. 「第 n 页 共 m 页」 at every page's foot.
 *
 * Deterministic: the same input gives the same bytes. pdfkit's only clock reading is the default
 * CreationDate, replaced here by the document's date; the file identifier (trailer /ID) is an MD5 of
 * the info dictionary (PDFSecurity.generateFileID), so it follows from that date, the title, the
 * agency and the number; the font subset's tag comes from the font's resource name (F1…); streams
 * are deflated by zlib, which is deterministic for the same input and level.
 *
 * Only this file imports pdfkit; callers load it with `await import('…/render.ts')` so that functions
 * that only fill documents do not carry pdfkit and the font.
 */
import PDFDocument from 'pdfkit';
import { drawPageFooters } from '../report/page-footer.ts';
import { reportFontPath } from '../report/font.ts';
import { chineseDate, HANDWRITTEN_DATE } from './fill.ts';
import type { FilledBlock, FilledDocument, FilledRow } from './types.ts';

type Doc = PDFKit.PDFDocument;

export interface DocumentPdfMeta {
  /** The number printed under the title; '' for a form without one. */
  readonly documentNo: string;
  /** The issuing agency, printed at the top. */
  readonly agencyName: string;
  /** The document's date, YYYY-MM-DD: printed under the seal, and the PDF's creation date. */
  readonly date: string;
}

const MARGIN = { top: 64, left: 64, right: 64, bottom: 72 } as const;
const SIZE = { agency: 15, title: 21, number: 11.5, heading: 12.5, body: 12, cell: 11, footer: 9 } as const;
const LINE_GAP = 5;
const CELL_LINE_GAP = 3;
const PAD_X = 5;
const PAD_Y = 4;
const INDENT = SIZE.body * 2;
const COLOR = { text: '#000000', muted: '#444444', rule: '#555555', labelFill: '#f2f2f2', heading: '#000000' } as const;

export async function renderDocumentPdf(filled: FilledDocument, meta: DocumentPdfMeta): Promise<Buffer> {
  const printedDate = chineseDate(meta.date); // also checks the date's form before anything is drawn
  const at = new Date(`${meta.date}T00:00:00+08:00`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    font: reportFontPath(),
    bufferPages: true, // the page count is known only at the end
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: meta.documentNo === '' ? filled.title : `${filled.title}（${meta.documentNo}）`,
      Author: meta.agencyName,
      Subject: `${filled.type} v${filled.templateVersion}`,
      Creator: 'three-systems',
      Producer: 'three-systems (pdfkit)',
      CreationDate: at,
      ModDate: at,
    },
  });
  const done = collect(doc);

  drawHeader(doc, filled, meta);
  filled.blocks.forEach((block, i) => {
    drawBlock(doc, block, printedDate, filled.blocks[i + 1]);
  });
  drawPageNumbers(doc);
  doc.end();
  return done;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const left = (doc: Doc): number => doc.page.margins.left;
const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottomLimit = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;
const fullPageHeight = (doc: Doc): number => bottomLimit(doc) - doc.page.margins.top;

/** A new page when less than `height` is left on this one. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}

function drawHeader(doc: Doc, filled: FilledDocument, meta: DocumentPdfMeta): void {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.fillColor(COLOR.text).fontSize(SIZE.agency).text(meta.agencyName, x, doc.page.margins.top, { width, align: 'center', characterSpacing: 1 });
  doc.moveDown(0.2);
  doc.fontSize(SIZE.title).text(filled.title, x, doc.y, { width, align: 'center', characterSpacing: 3 });
  if (meta.documentNo !== '') {
    doc.moveDown(0.3);
    doc.fontSize(SIZE.number).text(meta.documentNo, x, doc.y, { width, align: 'center' });
  }
  doc.y += 6;
  doc.lineWidth(1).strokeColor(COLOR.rule).moveTo(x, doc.y).lineTo(x + width, doc.y).stroke();
  doc.y += 14;
}

function drawBlock(doc: Doc, block: FilledBlock, printedDate: string, next: FilledBlock | undefined): void {
  const x = left(doc);
  const width = contentWidth(doc);
  switch (block.kind) {
    case 'heading': {
      doc.fontSize(SIZE.heading);
      // Kept with the first lines of what follows it.
      const height = doc.heightOfString(block.text, { width }) + (next ? SIZE.body * 3 : 0);
      ensureRoom(doc, height);
      doc.y += 4;
      doc.fillColor(COLOR.heading).text(block.text, x, doc.y, { width, lineGap: LINE_GAP });
      doc.y += 4;
      return;
    }
    case 'paragraph':
      paragraph(doc, block.text, block.indent);
      return;
    case 'list':
      block.items.forEach((item, i) => {
        paragraph(doc, block.ordered ? `${i + 1}. ${item}` : `· ${item}`, true);
      });
      return;
    case 'table':
      drawTable(doc, block.rows);
      return;
    case 'signature':
      drawSignature(doc, block.lines, block.date);
      return;
    case 'seal':
      drawSeal(doc, block.text, printedDate);
      return;
  }
}

/** Running text; pdfkit carries it on to the next page at the bottom margin. */
function paragraph(doc: Doc, text: string, indent: boolean): void {
  doc.fontSize(SIZE.body).fillColor(COLOR.text);
  ensureRoom(doc, SIZE.body + LINE_GAP);
  doc.text(text, left(doc), doc.y, { width: contentWidth(doc), lineGap: LINE_GAP, indent: indent ? INDENT : 0 });
  doc.y += 3;
}

function cellHeight(doc: Doc, text: string, width: number): number {
  return doc.heightOfString(text === '' ? ' ' : text, { width: width - 2 * PAD_X, lineGap: CELL_LINE_GAP }) + 2 * PAD_Y;
}

/** The longest start of `chars` (as a code-point array) whose cell fits in `height`; at least one character. */
function fittingPrefix(doc: Doc, chars: readonly string[], width: number, height: number): number {
  let lo = 1;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cellHeight(doc, chars.slice(0, mid).join(''), width) <= height) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function drawTable(doc: Doc, rows: readonly FilledRow[]): void {
  doc.fontSize(SIZE.cell);
  const width = contentWidth(doc);
  const widest = Math.max(...rows.map((r) => doc.widthOfString(r.label))) + 2 * PAD_X + 2;
  const labelWidth = Math.min(Math.max(widest, width * 0.18), width * 0.32);
  const valueWidth = width - labelWidth;
  const minimum = SIZE.cell * 2 + 2 * PAD_Y + CELL_LINE_GAP; // a row does not start with less than about two lines left

  for (const row of rows) {
    let label = row.label;
    let rest = Array.from(row.value);
    for (;;) {
      doc.fontSize(SIZE.cell);
      const value = rest.join('');
      const height = Math.max(cellHeight(doc, label, labelWidth), cellHeight(doc, value, valueWidth));
      const room = bottomLimit(doc) - doc.y;
      if (height <= room) {
        drawRow(doc, label, value, labelWidth, valueWidth, height);
        break;
      }
      // A row that fits on a page is not cut: it goes to the next page whole.
      if (room < minimum || height <= fullPageHeight(doc)) {
        ensureRoom(doc, Number.POSITIVE_INFINITY);
        continue;
      }
      const n = fittingPrefix(doc, rest, valueWidth, room);
      const part = rest.slice(0, n).join('');
      drawRow(doc, label, part, labelWidth, valueWidth, Math.max(cellHeight(doc, label, labelWidth), cellHeight(doc, part, valueWidth)));
      rest = rest.slice(n);
      label = `${row.label}（续）`;
      ensureRoom(doc, Number.POSITIVE_INFINITY);
    }
  }
  doc.x = left(doc);
  doc.y += 10;
}

function drawRow(doc: Doc, label: string, value: string, labelWidth: number, valueWidth: number, height: number): void {
  const top = doc.y;
  const x = left(doc);
  doc.rect(x, top, labelWidth, height).fill(COLOR.labelFill);
  doc.lineWidth(0.6).strokeColor(COLOR.rule);
  doc.rect(x, top, labelWidth, height).stroke();
  doc.rect(x + labelWidth, top, valueWidth, height).stroke();
  doc.fillColor(COLOR.text).fontSize(SIZE.cell);
  doc.text(label, x + PAD_X, top + PAD_Y, { width: labelWidth - 2 * PAD_X, lineGap: CELL_LINE_GAP });
  doc.text(value, x + labelWidth + PAD_X, top + PAD_Y, { width: valueWidth - 2 * PAD_X, lineGap: CELL_LINE_GAP });
  doc.x = x;
  doc.y = top + height;
}

function drawSignature(doc: Doc, lines: readonly FilledRow[], date: boolean): void {
  const x = left(doc);
  const width = contentWidth(doc);
  const lineHeight = SIZE.body + 18;
  ensureRoom(doc, 12 + lines.length * lineHeight + (date ? lineHeight : 0));
  doc.y += 12;
  doc.fontSize(SIZE.body).fillColor(COLOR.text);
  const labelWidth = Math.max(...lines.map((l) => doc.widthOfString(`${l.label}：`)));
  for (const line of lines) {
    const top = doc.y;
    doc.text(`${line.label}：`, x, top, { width: labelWidth + 2, lineBreak: false });
    const startX = x + labelWidth + 6;
    const dateWidth = date ? doc.widthOfString(HANDWRITTEN_DATE) + 16 : 0;
    const lineEnd = Math.min(x + width - dateWidth, startX + 200);
    if (line.value !== '') doc.text(line.value, startX + 4, top, { width: lineEnd - startX - 4, lineBreak: false });
    doc.lineWidth(0.6).strokeColor(COLOR.rule).moveTo(startX, top + SIZE.body + 3).lineTo(lineEnd, top + SIZE.body + 3).stroke();
    if (date) doc.text(HANDWRITTEN_DATE, x + width - dateWidth + 8, top, { width: dateWidth - 8, align: 'right', lineBreak: false });
    doc.x = x;
    doc.y = top + lineHeight;
  }
  doc.y += 6;
}

/** The agency's name over the date, right of centre, with room above for the seal. */
function drawSeal(doc: Doc, agency: string, printedDate: string): void {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.fontSize(SIZE.body).fillColor(COLOR.text);
  const blockWidth = Math.min(width * 0.55, Math.max(doc.widthOfString(agency), doc.widthOfString(printedDate)) + 8);
  const height = 36 + doc.heightOfString(agency, { width: blockWidth }) + SIZE.body + LINE_GAP * 2;
  ensureRoom(doc, height);
  doc.y += 36;
  const blockX = x + width - blockWidth - SIZE.body * 2;
  doc.text(agency, blockX, doc.y, { width: blockWidth, align: 'center', lineGap: LINE_GAP });
  doc.text(printedDate, blockX, doc.y, { width: blockWidth, align: 'center', lineGap: LINE_GAP });
  doc.x = x;
  doc.y += 6;
}

const drawPageNumbers = (doc: Doc): void => drawPageFooters(doc, (page, count) => `第 ${page} 页 共 ${count} 页`, { size: SIZE.footer, color: COLOR.muted, top: (height, bottom) => height - bottom / 2 - SIZE.footer / 2 });
