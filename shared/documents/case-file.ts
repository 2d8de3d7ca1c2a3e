/**
 * The electronic case file as one PDF (电子案卷, P8, R2): 案卷封面, 卷内文件目录, every document of the case
 * as stored (their own PDFs, copied page for page), 证据清单, 案件过程记录, 备考表. The front and tail
 * sheets are drawn with pdfkit in the project's CJK font; pdf-lib merges them with the documents and
 * stamps the case file's page number (页号) at the top right of every page.
 *
 * Only loaded by the export (`await import`): pdfkit, pdf-lib and the font stay out of cold starts.
 */
import PDFDocument from 'pdfkit';
import { PDFDocument as PdfLibDocument, StandardFonts, rgb } from 'pdf-lib';
import { reportFontPath } from '../report/font.ts';
import { chineseDate } from './fill.ts';
import { zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import { CASE_FILE_PDF_NAME, MANIFEST_NAME, SIGNATURE_NAME, SIGNING_KEY_ROUTE, sha256Hex, tableOfContents } from '../domain/case-file.ts';
import type { CaseFileManifest, ManifestContents, ManifestFile, TocEntry } from '../domain/case-file.ts';
import type { ManifestSignature } from '../domain/evidence.ts';

type Doc = PDFKit.PDFDocument;

export interface CaseFileModel {
  readonly agencyName: string;
  readonly caseNo: string;
  readonly partyName: string;
  readonly summary: string;
  readonly filingDate: string;
  readonly decisionNo: string | undefined;
  readonly closed: boolean;
  readonly closedOn: string | undefined;
  /** Shown when the case was not closed at export. */
  readonly note: string | undefined;
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly contentsSha256: string;
  readonly signingKeyId: string;
  readonly documents: readonly { readonly title: string; readonly documentNo: string; readonly date: string; readonly pdf: Uint8Array }[];
  readonly evidence: readonly { readonly id: string; readonly mediaType: string; readonly proves: string; readonly collector: string; readonly capturedAt: string; readonly place: string; readonly size: string; readonly sha256: string }[];
  readonly timeline: readonly { readonly at: string; readonly kind: string; readonly label: string; readonly by: string }[];
}

export interface CaseFilePdf {
  readonly pdf: Buffer;
  readonly totalPages: number;
  readonly documentPages: number;
  readonly toc: readonly TocEntry[];
  /** Pages of each part: cover and contents, documents, evidence list, record, back sheet. */
  readonly parts: { readonly front: number; readonly documents: number; readonly evidence: number; readonly timeline: number; readonly back: number };
}

const MARGIN = { top: 64, left: 60, right: 60, bottom: 64 } as const;
const SIZE = { agency: 16, coverTitle: 30, title: 19, body: 11.5, cell: 9.5, small: 8.5, footer: 8 } as const;
const PAD_X = 4;
const PAD_Y = 3.5;
const COLOR = { text: '#000000', muted: '#444444', rule: '#666666', fill: '#f0f0f0', warn: '#b00000' } as const;
const TAIL_TITLES = { evidence: '证据清单', timeline: '案件过程记录', back: '备考表' } as const;

const shanghaiTime = (iso: string): string => {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
};

export async function renderCaseFilePdf(model: CaseFileModel): Promise<CaseFilePdf> {
  const documents = await Promise.all(model.documents.map((d) => PdfLibDocument.load(d.pdf, { updateMetadata: false })));
  const docPages = documents.map((d) => d.getPageCount());
  const documentPages = docPages.reduce((s, n) => s + n, 0);
  const exportDate = shanghaiTime(model.exportedAt).slice(0, 10);

  // The tail's layout does not depend on the totals it prints (the back sheet is one page).
  const firstTail = await renderTail(model, { documents: model.documents.length, pages: 0 });
  const tailParts = [
    { title: TAIL_TITLES.evidence, pages: firstTail.evidence },
    { title: TAIL_TITLES.timeline, pages: firstTail.timeline },
    { title: TAIL_TITLES.back, pages: firstTail.back },
  ];
  const docRows = model.documents.map((d, i) => ({ title: d.title, documentNo: d.documentNo, date: d.date, pages: docPages[i] ?? 0 }));

  // The contents' own length moves every start page: settle it (it grows at most a page or two).
  let frontPages = 2;
  let front: { pdf: Buffer; pages: number } | undefined;
  let layout = tableOfContents(frontPages, docRows, tailParts, exportDate);
  for (let attempt = 0; attempt < 5; attempt++) {
    layout = tableOfContents(frontPages, docRows, tailParts, exportDate);
    front = await renderFront(model, layout.entries, layout.totalPages);
    if (front.pages === frontPages) break;
    frontPages = front.pages;
  }
  if (!front || front.pages !== frontPages) throw new Error('The case file contents did not settle on a page count');
  const tail = await renderTail(model, { documents: model.documents.length, pages: layout.totalPages });
  if (tail.pages !== firstTail.pages) throw new Error('The case file tail changed length with its totals');

  const out = await PdfLibDocument.create({ updateMetadata: false });
  const at = new Date(model.exportedAt);
  out.setTitle(`${model.caseNo} 电子案卷`);
  out.setAuthor(model.agencyName);
  out.setSubject(`案卷封面、卷内文件目录、文书 ${model.documents.length} 件、证据清单、案件过程记录、备考表`);
  out.setCreator('three-systems');
  out.setProducer('three-systems (pdfkit, pdf-lib)');
  out.setLanguage('zh-CN');
  out.setCreationDate(at);
  out.setModificationDate(at);
  for (const part of [await PdfLibDocument.load(front.pdf), ...documents, await PdfLibDocument.load(tail.pdf)]) {
    for (const page of await out.copyPages(part, part.getPageIndices())) out.addPage(page);
  }
  const font = await out.embedFont(StandardFonts.Helvetica);
  out.getPages().forEach((page, i) => {
    const { width, height } = page.getSize();
    const text = String(i + 1);
    page.drawText(text, { x: width - 36 - font.widthOfTextAtSize(text, 10), y: height - 30, size: 10, font, color: rgb(0.2, 0.2, 0.2) });
  });
  const pdf = Buffer.from(await out.save({ useObjectStreams: true }));
  if (out.getPageCount() !== layout.totalPages) throw new Error(`Case file has ${out.getPageCount()} pages, its contents say ${layout.totalPages}`);
  return {
    pdf,
    totalPages: layout.totalPages,
    documentPages,
    toc: layout.entries,
    parts: { front: frontPages, documents: documentPages, evidence: tail.evidence, timeline: tail.timeline, back: tail.back },
  };
}

// ---------------------------------------------------------------- the zip

export interface ZipInput {
  readonly contents: ManifestContents;
  readonly contentsSha256: string;
  /** The documents' PDFs, in the order of `contents.documents`. */
  readonly originals: readonly Uint8Array[];
  readonly pdf: Uint8Array;
  /** The key the signer signs with (its signature must name it). */
  readonly keyId: string;
}

/** The originals, the case-file PDF, manifest.json (every entry's hash and size) and manifest.sig. */
export async function packCaseFileZip(input: ZipInput, sign: (message: string) => Promise<ManifestSignature>): Promise<Buffer> {
  const { contents } = input;
  const entries: [string, Uint8Array][] = [...contents.documents.map((d, i): [string, Uint8Array] => [d.name, input.originals[i]!]), [CASE_FILE_PDF_NAME, input.pdf]];
  const files: ManifestFile[] = entries.map(([name, bytes]) => ({ name, sha256: sha256Hex(bytes), bytes: bytes.length }));
  const manifest: CaseFileManifest = {
    ...contents,
    contentsSha256: input.contentsSha256,
    files,
    signature: { file: SIGNATURE_NAME, keyId: input.keyId, algorithm: 'ECDSA_SHA_256', publicKey: SIGNING_KEY_ROUTE },
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const signature = await sign(manifestText);
  if (signature.keyId !== input.keyId) throw new Error(`The signer answered key ${signature.keyId}, not ${input.keyId}`);
  const sig = `${JSON.stringify({ signs: MANIFEST_NAME, keyId: signature.keyId, algorithm: signature.algorithm, encoding: 'DER, base64', value: signature.value, publicKey: SIGNING_KEY_ROUTE }, null, 2)}\n`;

  // PDFs are deflated already: stored as they are (byte for byte what was hashed).
  const mtime = new Date(contents.exportedAt);
  const zippable: Zippable = {};
  for (const [name, bytes] of entries) zippable[name] = [bytes, { level: 0, mtime }];
  zippable[MANIFEST_NAME] = [Buffer.from(manifestText, 'utf8'), { level: 6, mtime }];
  zippable[SIGNATURE_NAME] = [Buffer.from(sig, 'utf8'), { level: 0, mtime }];
  return Buffer.from(zipSync(zippable));
}

// ---------------------------------------------------------------- pdfkit sheets

function newDoc(model: CaseFileModel, title: string): { doc: Doc; done: Promise<Buffer> } {
  const at = new Date(model.exportedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    font: reportFontPath(),
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    info: { Title: `${model.caseNo} ${title}`, Author: model.agencyName, Creator: 'three-systems', CreationDate: at, ModDate: at },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

const left = (doc: Doc) => doc.page.margins.left;
const width = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;
const pageCount = (doc: Doc) => doc.bufferedPageRange().count;

function newPage(doc: Doc): void {
  doc.addPage();
  doc.x = left(doc);
  doc.y = doc.page.margins.top;
}

function heading(doc: Doc, text: string, sub?: string): void {
  doc.fillColor(COLOR.text).fontSize(SIZE.title).text(text, left(doc), doc.y, { width: width(doc), align: 'center', characterSpacing: 4 });
  if (sub) doc.fontSize(SIZE.small).fillColor(COLOR.muted).text(sub, left(doc), doc.y + 2, { width: width(doc), align: 'center' });
  doc.y += 12;
}

function warning(doc: Doc, text: string): void {
  doc.fontSize(SIZE.body + 1);
  const h = doc.heightOfString(text, { width: width(doc) - 20 }) + 14;
  const top = doc.y;
  doc.lineWidth(1.5).strokeColor(COLOR.warn).rect(left(doc), top, width(doc), h).stroke();
  doc.fillColor(COLOR.warn).text(text, left(doc) + 10, top + 7, { width: width(doc) - 20, align: 'center' });
  doc.fillColor(COLOR.text);
  doc.x = left(doc);
  doc.y = top + h + 12;
}

const cellHeight = (doc: Doc, text: string, w: number, size: number): number => {
  doc.fontSize(size);
  return doc.heightOfString(text === '' ? ' ' : text, { width: w - 2 * PAD_X, lineGap: 2 }) + 2 * PAD_Y;
};

/** Cuts `text` so that its cell is no taller than `max` (a cell never runs past a page). */
function fit(doc: Doc, text: string, w: number, size: number, max: number): string {
  if (cellHeight(doc, text, w, size) <= max) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cellHeight(doc, `${chars.slice(0, mid).join('')}…`, w, size) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

/** A grid with a header row repeated on every page it runs onto. */
function grid(doc: Doc, columns: readonly { readonly header: string; readonly share: number; readonly align?: 'left' | 'center' | 'right' }[], rows: readonly (readonly string[])[], size: number = SIZE.cell): void {
  const total = columns.reduce((s, c) => s + c.share, 0);
  const widths = columns.map((c) => (c.share / total) * width(doc));
  const maxRow = (bottom(doc) - doc.page.margins.top) / 2;
  const drawRow = (cells: readonly string[], header: boolean) => {
    const texts = cells.map((t, i) => fit(doc, t, widths[i] ?? 0, size, maxRow));
    const h = Math.max(...texts.map((t, i) => cellHeight(doc, t, widths[i] ?? 0, size)));
    if (doc.y + h > bottom(doc)) {
      newPage(doc);
      if (!header) drawRow(columns.map((c) => c.header), true);
    }
    const top = doc.y;
    let x = left(doc);
    texts.forEach((t, i) => {
      const w = widths[i] ?? 0;
      if (header) doc.rect(x, top, w, h).fill(COLOR.fill);
      doc.lineWidth(0.5).strokeColor(COLOR.rule).rect(x, top, w, h).stroke();
      doc.fillColor(COLOR.text).fontSize(size).text(t, x + PAD_X, top + PAD_Y, { width: w - 2 * PAD_X, lineGap: 2, align: header ? 'center' : (columns[i]?.align ?? 'left') });
      x += w;
    });
    doc.x = left(doc);
    doc.y = top + h;
  };
  drawRow(columns.map((c) => c.header), true);
  for (const r of rows) drawRow(r, false);
  doc.y += 10;
}

/** Label-value rows (the cover, an evidence item, the back sheet). */
function pairs(doc: Doc, rows: readonly (readonly [string, string])[], size: number = SIZE.body, labelShare = 0.24): void {
  const lw = width(doc) * labelShare;
  const vw = width(doc) - lw;
  const maxRow = (bottom(doc) - doc.page.margins.top) / 2;
  for (const [label, raw] of rows) {
    const value = fit(doc, raw, vw, size, maxRow);
    const h = Math.max(cellHeight(doc, label, lw, size), cellHeight(doc, value, vw, size));
    if (doc.y + h > bottom(doc)) newPage(doc);
    const top = doc.y;
    const x = left(doc);
    doc.rect(x, top, lw, h).fill(COLOR.fill);
    doc.lineWidth(0.5).strokeColor(COLOR.rule).rect(x, top, lw, h).stroke().rect(x + lw, top, vw, h).stroke();
    doc.fillColor(COLOR.text).fontSize(size).text(label, x + PAD_X, top + PAD_Y, { width: lw - 2 * PAD_X, lineGap: 2 });
    doc.text(value, x + lw + PAD_X, top + PAD_Y, { width: vw - 2 * PAD_X, lineGap: 2 });
    doc.x = x;
    doc.y = top + h;
  }
  doc.y += 10;
}

async function renderFront(model: CaseFileModel, toc: readonly TocEntry[], totalPages: number): Promise<{ pdf: Buffer; pages: number }> {
  const { doc, done } = newDoc(model, '案卷封面、卷内文件目录');
  doc.fillColor(COLOR.text).fontSize(SIZE.agency).text(model.agencyName, left(doc), doc.page.margins.top + 40, { width: width(doc), align: 'center', characterSpacing: 2 });
  doc.y += 30;
  doc.fontSize(SIZE.coverTitle).text('行政处罚案卷', left(doc), doc.y, { width: width(doc), align: 'center', characterSpacing: 8 });
  doc.y += 10;
  doc.fontSize(SIZE.body).fillColor(COLOR.muted).text('案卷封面', left(doc), doc.y, { width: width(doc), align: 'center' });
  doc.y += 36;
  if (!model.closed && model.note) warning(doc, model.note);
  pairs(doc, [
    ['执法主体', model.agencyName],
    ['案件编号', model.caseNo],
    ['当事人', model.partyName],
    ['案由', model.summary],
    ['立案日期', chineseDate(model.filingDate)],
    ['决定书文号', model.decisionNo ?? '（尚无）'],
    ['结案日期', model.closedOn ? chineseDate(model.closedOn) : model.closed ? '（未记录）' : '未结案'],
    ['本卷页数', `共 ${totalPages} 页（其中文书 ${model.documents.length} 件）`],
    ['导出时间', shanghaiTime(model.exportedAt)],
  ]);

  newPage(doc);
  heading(doc, '卷内文件目录', `案件编号：${model.caseNo}`);
  grid(
    doc,
    [
      { header: '序号', share: 0.07, align: 'center' },
      { header: '文件名称', share: 0.33 },
      { header: '文号', share: 0.3 },
      { header: '日期', share: 0.16, align: 'center' },
      { header: '页号', share: 0.14, align: 'center' },
    ],
    toc.map((e, i) => [String(i + 1), e.title, e.documentNo, e.date, e.pages > 1 ? `${e.startPage}–${e.startPage + e.pages - 1}` : String(e.startPage)]),
  );
  doc.end();
  const pdf = await done;
  return { pdf, pages: countPages(pdf) };
}

async function renderTail(model: CaseFileModel, totals: { documents: number; pages: number }): Promise<{ pdf: Buffer; pages: number; evidence: number; timeline: number; back: number }> {
  const { doc, done } = newDoc(model, '证据清单、案件过程记录、备考表');
  heading(doc, TAIL_TITLES.evidence, `案件编号：${model.caseNo}　已封存证据 ${model.evidence.length} 项（证据原件按其对象键、版本和 SHA-256 存于证据库，不随卷导出）`);
  if (model.evidence.length === 0) doc.fontSize(SIZE.body).text('本案无已封存的证据。', left(doc), doc.y, { width: width(doc) });
  model.evidence.forEach((e, i) => {
    pairs(
      doc,
      [
        [`${i + 1}. 证据编号`, e.id],
        ['媒体类型', e.mediaType],
        ['证明对象', e.proves],
        ['采集人', e.collector],
        ['采集时间', e.capturedAt],
        ['采集地点', e.place],
        ['大小', e.size],
        ['SHA-256', e.sha256],
      ],
      SIZE.cell,
      0.2,
    );
  });
  const afterEvidence = pageCount(doc);

  newPage(doc);
  heading(doc, TAIL_TITLES.timeline, `案件编号：${model.caseNo}　共 ${model.timeline.length} 项`);
  grid(
    doc,
    [
      { header: '时间', share: 0.2 },
      { header: '类别', share: 0.12, align: 'center' },
      { header: '事项', share: 0.46 },
      { header: '人员', share: 0.22 },
    ],
    model.timeline.map((t) => [t.at, t.kind, t.label, t.by]),
  );
  const afterTimeline = pageCount(doc);

  newPage(doc);
  heading(doc, TAIL_TITLES.back);
  if (!model.closed && model.note) warning(doc, model.note);
  pairs(doc, [
    ['本卷情况', `本卷共有文书 ${totals.documents} 件，共 ${totals.pages} 页（含封面、目录、证据清单、案件过程记录和本表）；已封存证据 ${model.evidence.length} 项。`],
    ['导出人', model.exportedBy],
    ['导出时间', shanghaiTime(model.exportedAt)],
    ['清单 SHA-256', model.contentsSha256],
    ['签名', `同时导出的 manifest.json 由密钥 ${model.signingKeyId} 签名（manifest.sig，ECDSA P-256 SHA-256）；公钥见 /public/audit/key。`],
    ['说明', '本卷文书为系统生成并存档的原件，各件 SHA-256 与制作时记录的一致；清单 SHA-256 为 manifest.json 中 contents 部分（案件、导出、文书、证据）规范化 JSON 的哈希。'],
  ]);
  const total = pageCount(doc);
  doc.end();
  const pdf = await done;
  return { pdf, pages: total, evidence: afterEvidence, timeline: afterTimeline - afterEvidence, back: total - afterTimeline };
}

const countPages = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
