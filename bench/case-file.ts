/**
 * The electronic case file's export (issue 15 point 8, P8) for a case of 50 documents: size and time of
 * the merged PDF (cover, contents, the 50 documents copied page for page, evidence list, record, back
 * sheet) and of the zip (originals, the PDF, manifest.json, its signature). The 50 documents are rendered
 * first (the eight templates in turn, as bench/documents.ts does: the setup, not measured), 20 sealed
 * evidence items and 120 timeline entries are made up; then the export is assembled `runs` times after a
 * warm-up. In-process, no AWS services: the 50 S3 reads of the real export are not in the figure, and the
 * signature is a local P-256 key (KMS Sign is one call of about 10–30 ms).
 */
import { generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { contentsDigest, manifestContents, MAX_INLINE_EXPORT_BYTES, sha256Hex } from '../shared/domain/case-file.ts';
import type { Case } from '../shared/domain/case.ts';
import type { Evidence } from '../shared/domain/evidence.ts';
import type { CaseDocument } from '../shared/domain/procedure.ts';
import { packCaseFileZip, renderCaseFilePdf } from '../shared/documents/case-file.ts';
import { fillDocument } from '../shared/documents/fill.ts';
import { DEFAULT_DOCUMENT_NO_FORMAT, formatDocumentNo } from '../shared/documents/number.ts';
import { renderDocumentPdf } from '../shared/documents/render.ts';
import { SAMPLE_FIELDS } from '../shared/documents/samples.ts';
import { templateOf } from '../shared/documents/templates.ts';
import { DOCUMENT_TYPES } from '../shared/documents/types.ts';
import { percentile, round } from './stats.ts';

export interface CaseFileRun {
  readonly documents: number;
  readonly documentBytes: number;
  readonly documentPages: number;
  readonly setupMs: number;
  readonly runs: number;
  readonly pdf: { readonly bytes: number; readonly pages: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly zip: { readonly bytes: number; readonly p50Ms: number; readonly p99Ms: number };
  /** The zip as a Lambda proxy answer (base64) against the 6 MB response limit. */
  readonly zipBase64Bytes: number;
  readonly inlineLimitBytes: number;
}

const AGENCY = '宿迁市宿城区市场监督管理局';
const CASE_ID = '00000000-0000-4000-8000-000000000050';

export async function benchCaseFile(runs: number, log: (line: string) => void, documents = 50): Promise<CaseFileRun> {
  const setupStart = performance.now();
  const docs: CaseDocument[] = [];
  const pdfs: Buffer[] = [];
  for (let i = 0; i < documents; i++) {
    const type = DOCUMENT_TYPES[i % DOCUMENT_TYPES.length] ?? 'PENALTY_DECISION';
    const template = templateOf(type);
    const documentNo = formatDocumentNo(DEFAULT_DOCUMENT_NO_FORMAT, { prefix: '宿城市监', word: template.numberWord, year: 2026, seq: i + 1 });
    const pdf = await renderDocumentPdf(fillDocument(template, { ...SAMPLE_FIELDS[type], partyName: `宿城区第${i + 1}号副食品店` }), { documentNo, agencyName: AGENCY, date: '2026-12-20' });
    pdfs.push(pdf);
    docs.push({ id: `doc-${i}`, caseId: CASE_ID, agencyId: 'suqian-sc', type, title: template.title, documentNo, templateVersion: template.version, date: '2026-12-20', sha256: sha256Hex(pdf), bytes: pdf.length, objectKey: `documents/${CASE_ID}/doc-${i}.pdf`, createdAt: new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString(), createdBy: '承办人' });
  }
  const setupMs = round(performance.now() - setupStart, 0);
  log(`${documents} documents rendered in ${setupMs} ms (setup)`);

  const c = { id: CASE_ID, caseNo: '宿城市监立〔2026〕50号', agencyId: 'suqian-sc', party: { kind: 'ORG', name: '宿迁市某某食品有限公司' }, filingDate: '2026-10-08', summary: '涉嫌经营超过保质期的食品', status: 'DECIDED' } as unknown as Case;
  const evidence = Array.from({ length: 20 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    status: 'SEALED',
    mediaType: i % 2 ? 'PHOTO' : 'VIDEO',
    fileName: `IMG_${i}.jpg`,
    contentType: 'image/jpeg',
    objectKey: `evidence/${CASE_ID}/${i}`,
    objectVersionId: `v${i}`,
    sha256: sha256Hex(`evidence ${i}`),
    sizeBytes: 2_000_000 * (i + 1),
    capturedAt: new Date(Date.UTC(2026, 9, 9, 2, i)).toISOString(),
    sealedAt: new Date(Date.UTC(2026, 9, 9, 3, i)).toISOString(),
    capturePlace: { text: '当事人经营场所货架' },
    collectorName: '承办1',
    proves: '货架上陈列超过保质期的预包装食品，生产日期和保质期清晰可见',
  })) as unknown as Evidence[];
  const timeline = Array.from({ length: 120 }, (_, i) => ({ at: `2026-11-${String(1 + (i % 28)).padStart(2, '0')} 09:${String(i % 60).padStart(2, '0')}`, kind: '处罚程序', label: `第 ${i + 1} 项程序事件：送达、陈述申辩或决定步骤`, by: '承办1、承办2' }));

  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = 'local:bench';
  const sign = (message: string) => Promise.resolve({ keyId, algorithm: 'ECDSA_SHA_256' as const, value: signBytes('sha256', Buffer.from(message, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('base64') });

  const once = async () => {
    const exportedAt = new Date().toISOString();
    const contents = manifestContents({ case: c, agencyName: AGENCY, decisionNo: '宿城市监处罚〔2026〕7号', documents: docs, evidence, exportedAt, exportedBy: { sub: 'bench', name: '导出人' } });
    const contentsSha256 = contentsDigest(contents);
    const t0 = performance.now();
    const rendered = await renderCaseFilePdf({
      agencyName: AGENCY,
      caseNo: c.caseNo,
      partyName: '宿迁市某某食品有限公司',
      summary: c.summary,
      filingDate: c.filingDate,
      decisionNo: contents.case.decisionNo ?? undefined,
      closed: false,
      closedOn: undefined,
      note: contents.note ?? undefined,
      exportedAt,
      exportedBy: '导出人',
      contentsSha256,
      signingKeyId: keyId,
      documents: docs.map((d, i) => ({ title: d.title, documentNo: d.documentNo, date: d.date, pdf: pdfs[i]! })),
      evidence: evidence.map((e) => ({ id: e.id, mediaType: e.mediaType, proves: e.proves, collector: e.collectorName, capturedAt: e.capturedAt, place: e.capturePlace.text, size: String(e.sizeBytes), sha256: e.sha256 })),
      timeline,
    });
    const t1 = performance.now();
    const zip = await packCaseFileZip({ contents, contentsSha256, originals: pdfs, pdf: rendered.pdf, keyId }, sign);
    const t2 = performance.now();
    return { rendered, zip, pdfMs: t1 - t0, zipMs: t2 - t0 };
  };

  await once(); // warm-up: pdf-lib, the font's first subset
  const pdfSamples: number[] = [];
  const zipSamples: number[] = [];
  let last: Awaited<ReturnType<typeof once>> | undefined;
  for (let i = 0; i < runs; i++) {
    last = await once();
    pdfSamples.push(last.pdfMs);
    zipSamples.push(last.zipMs);
  }
  if (!last) throw new Error('no runs');
  return {
    documents,
    documentBytes: pdfs.reduce((s, p) => s + p.length, 0),
    documentPages: last.rendered.documentPages,
    setupMs,
    runs,
    pdf: { bytes: last.rendered.pdf.length, pages: last.rendered.totalPages, p50Ms: round(percentile(pdfSamples, 50), 0), p99Ms: round(percentile(pdfSamples, 99), 0) },
    zip: { bytes: last.zip.length, p50Ms: round(percentile(zipSamples, 50), 0), p99Ms: round(percentile(zipSamples, 99), 0) },
    zipBase64Bytes: Math.ceil(last.zip.length / 3) * 4,
    inlineLimitBytes: MAX_INLINE_EXPORT_BYTES,
  };
}
