/**
 * The electronic case file's export (电子案卷, issue 15 point 8, P8): the one PDF, and the zip of the
 * originals with the signed manifest. Every document is read back and checked against the SHA-256
 * recorded when it was made; sealed evidence is listed (key, version, hash), never copied. Each
 * export is audited (ids, counts and hashes only).
 *
 * Any case may be exported by staff who may read it; a case not yet closed says so on the cover, on the
 * back sheet and in the manifest (`closed: false`, `note`), so an interim file is never taken for the
 * closed one.
 */
import type { Case } from '../domain/case.ts';
import { EXPORT_LINK_SECONDS, MAX_INLINE_EXPORT_BYTES, contentsDigest, manifestContents, sealedEvidence, sha256Hex } from '../domain/case-file.ts';
import { decisionNumber } from '../domain/decision-record.ts';
import { MEDIA_TYPE_LABELS } from '../domain/evidence.ts';
import { manifestSigner } from '../aws/signer.ts';
import * as store from '../store/cases.ts';
import { allCaseEvidence } from '../store/evidence.ts';
import { requireAgency } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import { commitContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { timeline } from './decisions.ts';
import { documentFile } from './documents.ts';

export interface ExportedFile {
  readonly body: Buffer;
  /** Set when the file was too large to answer inline: a short-lived link to its stored copy. */
  readonly url?: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly pages: number;
  readonly documents: number;
  readonly closed: boolean;
}

const TIMELINE_KINDS: Record<string, string> = { act: '执法行为', decision: '决定', review: '法制审核', publication: '公示', procedure: '处罚程序' };

/** An instant as Asia/Shanghai wall time, to the minute. */
const shanghai = (iso: string): string => {
  const d = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
};

const size = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

async function assemble(ctx: ActionContext, c: Case) {
  const exportedAt = new Date(Math.floor((ctx.now ?? new Date()).getTime() / 1000) * 1000).toISOString();
  const [agency, decision, documents, evidence, events, key] = await Promise.all([
    requireAgency(c.agencyId),
    store.getDecision(c.id),
    store.documentsOf(c.id),
    allCaseEvidence(c.id),
    timeline(c.id),
    manifestSigner().publicKey(),
  ]);
  // Checked against the recorded SHA-256: a changed file stops the export (500, logged).
  const files = await Promise.all(documents.map((d) => documentFile(d)));
  const issued = decision && decision.status !== 'DRAFT' && decision.status !== 'IN_REVIEW' && decision.status !== 'REVIEW_PASSED';
  const contents = manifestContents({
    case: c,
    agencyName: agency.name,
    decisionNo: issued ? decisionNumber(decision) : undefined,
    documents,
    evidence,
    exportedAt,
    exportedBy: { sub: ctx.identity.sub, name: ctx.identity.name },
  });
  const contentsSha256 = contentsDigest(contents);
  const sealed = sealedEvidence(evidence);
  const { renderCaseFilePdf } = await import('../documents/case-file.ts');
  const rendered = await renderCaseFilePdf({
    agencyName: agency.name,
    caseNo: c.caseNo,
    partyName: c.party.name,
    summary: c.summary,
    filingDate: c.filingDate,
    decisionNo: contents.case.decisionNo ?? undefined,
    closed: contents.closed,
    closedOn: contents.case.closedOn ?? undefined,
    note: contents.note ?? undefined,
    exportedAt,
    exportedBy: ctx.identity.name,
    contentsSha256,
    signingKeyId: key.keyId,
    documents: documents.map((d, i) => ({ title: d.title, documentNo: d.documentNo, date: d.date, pdf: files[i]! })),
    evidence: sealed.map((e) => ({
      id: e.id,
      mediaType: `${MEDIA_TYPE_LABELS[e.mediaType]}（${e.contentType}，${e.fileName}）`,
      proves: e.proves,
      collector: e.collectorName,
      capturedAt: shanghai(e.capturedAt),
      place: e.capturePlace.text,
      size: `${size(e.sizeBytes)}（${e.sizeBytes} 字节）`,
      sha256: e.sha256,
    })),
    timeline: events.map((t) => ({ at: shanghai(t.at), kind: TIMELINE_KINDS[t.kind] ?? t.kind, label: t.label, by: t.by })),
  });
  return { contents, contentsSha256, documents, files, rendered, keyId: key.keyId };
}

async function audit(ctx: ActionContext, c: Case, format: 'pdf' | 'zip', out: { sha256: string; pages: number; documents: number; contentsSha256: string; bytes: number }): Promise<void> {
  await commit(commitContext(ctx), [], [{ action: 'case.file.export', entityType: 'Case', entityId: c.id, change: { format, ...out } }]);
}

/**
 * What the route answers: the bytes themselves, or — above what a Lambda answer may carry — a link to a
 * stored copy (`documents/exports/<caseId>/<sha256>.<ext>`, kept like every document: never deleted).
 */
async function delivered(body: Buffer, sha256: string, fileName: string, caseId: string, extension: 'pdf' | 'zip', inlineMaxBytes: number): Promise<{ body: Buffer; url?: string }> {
  if (body.length <= inlineMaxBytes) return { body };
  const { documentFileUrl, exportObjectKey, putDocumentFile } = await import('../aws/documents-bucket.ts');
  const key = exportObjectKey(caseId, sha256, extension);
  await putDocumentFile(key, body, Buffer.from(sha256, 'hex').toString('base64'), extension === 'pdf' ? 'application/pdf' : 'application/zip');
  return { body: Buffer.alloc(0), url: await documentFileUrl(key, fileName, EXPORT_LINK_SECONDS) };
}

const baseName = (c: Case) => `${c.caseNo.replace(/[\\/:*?"<>|\s]+/g, '_')}-电子案卷`;

/** GET /cases/{id}/file.pdf */
export async function exportCaseFilePdf(ctx: ActionContext, c: Case, inlineMaxBytes = MAX_INLINE_EXPORT_BYTES): Promise<ExportedFile> {
  const { rendered, contentsSha256, documents, contents } = await assemble(ctx, c);
  const sha256 = sha256Hex(rendered.pdf);
  const fileName = `${baseName(c)}.pdf`;
  const out = await delivered(rendered.pdf, sha256, fileName, c.id, 'pdf', inlineMaxBytes);
  await audit(ctx, c, 'pdf', { sha256, pages: rendered.totalPages, documents: documents.length, contentsSha256, bytes: rendered.pdf.length });
  return { ...out, fileName, sha256, pages: rendered.totalPages, documents: documents.length, closed: contents.closed };
}

/** GET /cases/{id}/file.zip: the originals, the case-file PDF, manifest.json and its signature. */
export async function exportCaseFileZip(ctx: ActionContext, c: Case, inlineMaxBytes = MAX_INLINE_EXPORT_BYTES): Promise<ExportedFile> {
  const { rendered, contents, contentsSha256, documents, files, keyId } = await assemble(ctx, c);
  const { packCaseFileZip } = await import('../documents/case-file.ts');
  const zip = await packCaseFileZip({ contents, contentsSha256, originals: files, pdf: rendered.pdf, keyId }, (text) => manifestSigner().sign(text));
  const sha256 = sha256Hex(zip);
  const fileName = `${baseName(c)}.zip`;
  const out = await delivered(zip, sha256, fileName, c.id, 'zip', inlineMaxBytes);
  await audit(ctx, c, 'zip', { sha256, pages: rendered.totalPages, documents: documents.length, contentsSha256, bytes: zip.length });
  return { ...out, fileName, sha256, pages: rendered.totalPages, documents: documents.length, closed: contents.closed };
}
