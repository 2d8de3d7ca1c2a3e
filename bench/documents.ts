/**
 * The penalty-procedure documents (issue 15 point 4, P7): time and size of the PDF of each template,
 * filled with the sample fields (shared/documents/samples.ts), rendered `runs` times after a warm-up
 * (the first render of a process loads pdfkit's font handling and parses the 10.6 MB CJK font); then
 * the bytes of 50 documents, the eight types in turn with different parties and numbers — what the
 * future case-file export will concatenate. In-process, no AWS services.
 */
import { fillDocument } from '../shared/documents/fill.ts';
import { formatDocumentNo, DEFAULT_DOCUMENT_NO_FORMAT } from '../shared/documents/number.ts';
import { renderDocumentPdf } from '../shared/documents/render.ts';
import { SAMPLE_FIELDS } from '../shared/documents/samples.ts';
import { templateOf } from '../shared/documents/templates.ts';
import { DOCUMENT_TYPES, type DocumentType } from '../shared/documents/types.ts';
import { percentile, round } from './stats.ts';

export interface TemplateRun {
  readonly type: DocumentType;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly bytes: number;
  readonly pages: number;
  /** Every run gave the same bytes (the renderer is deterministic). */
  readonly identical: boolean;
}

export interface DocumentsRun {
  readonly firstRenderMs: number;
  readonly templates: readonly TemplateRun[];
  readonly batch: { readonly documents: number; readonly totalBytes: number; readonly totalPages: number; readonly ms: number };
}

const AGENCY = '宿迁市宿城区市场监督管理局';
const pageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

function documentNo(type: DocumentType, seq: number): string {
  return formatDocumentNo(DEFAULT_DOCUMENT_NO_FORMAT, { prefix: '宿城市监', word: templateOf(type).numberWord, year: 2026, seq });
}

export async function benchDocuments(runs: number, log: (line: string) => void): Promise<DocumentsRun> {
  const render = (type: DocumentType, seq: number, partyName?: string): Promise<Buffer> => {
    const fields = partyName === undefined ? SAMPLE_FIELDS[type] : { ...SAMPLE_FIELDS[type], partyName };
    return renderDocumentPdf(fillDocument(templateOf(type), fields), { documentNo: documentNo(type, seq), agencyName: AGENCY, date: '2026-12-20' });
  };

  const first = performance.now();
  await render('PENALTY_DECISION', 1);
  const firstRenderMs = round(performance.now() - first, 1);
  log(`first render (font loaded): ${firstRenderMs} ms`);

  const templates: TemplateRun[] = [];
  for (const type of DOCUMENT_TYPES) {
    for (let i = 0; i < 3; i++) await render(type, 1); // warm-up
    const samples: number[] = [];
    let reference: Buffer | undefined;
    let identical = true;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const pdf = await render(type, 12);
      samples.push(performance.now() - start);
      reference ??= pdf;
      if (!pdf.equals(reference)) identical = false;
    }
    const pdf = reference ?? Buffer.alloc(0);
    templates.push({ type, runs, p50Ms: round(percentile(samples, 50), 1), p99Ms: round(percentile(samples, 99), 1), bytes: pdf.length, pages: pageCount(pdf), identical });
    log(`${type}: done`);
  }

  const documents = 50;
  let totalBytes = 0;
  let totalPages = 0;
  const start = performance.now();
  for (let i = 0; i < documents; i++) {
    const type = DOCUMENT_TYPES[i % DOCUMENT_TYPES.length] ?? 'PENALTY_DECISION';
    const pdf = await render(type, i + 1, `宿城区第${i + 1}号副食品店`);
    totalBytes += pdf.length;
    totalPages += pageCount(pdf);
  }
  const ms = round(performance.now() - start, 0);
  return { firstRenderMs, templates, batch: { documents, totalBytes, totalPages, ms } };
}
