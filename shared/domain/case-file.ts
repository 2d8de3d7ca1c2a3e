/**
 * The electronic case file (电子案卷, issue 15 point 8, P8, R1–R2): what goes into the one PDF (cover,
 * table of contents, the case's documents in order, the evidence list, the case's record, the back
 * sheet) and into the zip of originals with its signed manifest. Pure: no I/O, no pdfkit.
 *
 * The manifest's `contents` (identity, export, documents, evidence) are hashed into `contentsSha256`,
 * which the PDF's back sheet prints; the PDF cannot carry the hash of a manifest that lists the PDF's
 * own hash, so `files` (every zip entry with its hash, the case-file PDF included) stays outside it.
 * `manifest.sig` signs the bytes of manifest.json as written.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './audit.ts';
import type { Case } from './case.ts';
import type { Evidence } from './evidence.ts';
import type { CaseDocument } from './procedure.ts';

export const CASE_FILE_FORMAT = 'case-file/1';
export const CASE_FILE_PDF_NAME = 'case-file.pdf';
export const MANIFEST_NAME = 'manifest.json';
export const SIGNATURE_NAME = 'manifest.sig';
/** Where the signature's public key is published (the audit checkpoints' key: the same signer). */
export const SIGNING_KEY_ROUTE = '/public/audit/key';
/** Shown on the cover, the back sheet and in the manifest of a case exported before it was closed. */
export const NOT_CLOSED_NOTE = '未结案（导出时案件尚未结案）';

/**
 * A Lambda proxy answer is at most 6 MB, base64 included (4/3): a larger export is stored under
 * `documents/exports/` and answered with a redirect (303) to a short-lived link instead.
 */
export const MAX_INLINE_EXPORT_BYTES = 4_400_000;
/** Seconds the link to a large export stays valid. */
export const EXPORT_LINK_SECONDS = 300;

/** The closing date of a closed case: the approval date of its closing (结案审批, `case.closing`). */
export function closingDateOf(c: Case): string | undefined {
  if (c.status !== 'CLOSED') return undefined;
  // Read structurally: the closing step (shared/domain/closing.ts) is being built alongside.
  return (c as Case & { closing?: { approvedOn?: string } }).closing?.approvedOn;
}

/** A file name for a document inside the zip: its order and number, nothing a file system refuses. */
export function documentEntryName(doc: Pick<CaseDocument, 'documentNo' | 'title'>, index: number): string {
  const safe = (s: string) =>
    s
      .normalize('NFC')
      .replace(/[\\/:*?"<>|\s\p{Cc}]+/gu, '_')
      .replace(/^[._]+|[._]+$/g, '')
      .slice(0, 80);
  const no = safe(doc.documentNo) || safe(doc.title) || 'document';
  return `documents/${String(index + 1).padStart(3, '0')}-${no}.pdf`;
}

export interface ManifestDocument {
  readonly name: string;
  readonly documentId: string;
  readonly documentNo: string;
  readonly type: string;
  readonly title: string;
  readonly date: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ManifestEvidence {
  readonly id: string;
  readonly mediaType: string;
  readonly fileName: string;
  /** The sealed object: not in the zip (they can be GBs), named here by key, version and hash. */
  readonly objectKey: string;
  readonly objectVersionId: string | null;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly capturedAt: string;
  readonly sealedAt: string | null;
  readonly signatureKeyId: string | null;
}

export interface ManifestContents {
  readonly format: typeof CASE_FILE_FORMAT;
  readonly case: {
    readonly id: string;
    readonly caseNo: string;
    readonly agencyId: string;
    readonly agencyName: string;
    readonly status: string;
    readonly filingDate: string;
    readonly decisionNo: string | null;
    readonly closedOn: string | null;
  };
  readonly closed: boolean;
  readonly note: string | null;
  readonly exportedAt: string;
  readonly exportedBy: { readonly sub: string; readonly name: string };
  readonly documents: readonly ManifestDocument[];
  readonly evidence: readonly ManifestEvidence[];
}

export interface ManifestFile {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface CaseFileManifest extends ManifestContents {
  /** SHA-256 of the canonical JSON of the fields above: the hash the PDF's back sheet prints. */
  readonly contentsSha256: string;
  /** Every other entry of the zip (originals and the case-file PDF) with its hash and size. */
  readonly files: readonly ManifestFile[];
  readonly signature: { readonly file: typeof SIGNATURE_NAME; readonly keyId: string; readonly algorithm: 'ECDSA_SHA_256'; readonly publicKey: typeof SIGNING_KEY_ROUTE };
}

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export function contentsDigest(contents: ManifestContents): string {
  return sha256Hex(canonicalJson(contents));
}

export interface ExportInput {
  readonly case: Case;
  readonly agencyName: string;
  readonly decisionNo: string | undefined;
  readonly documents: readonly CaseDocument[];
  readonly evidence: readonly Evidence[];
  readonly exportedAt: string;
  readonly exportedBy: { readonly sub: string; readonly name: string };
}

/** Only sealed evidence belongs in the file: an upload in progress, rejected or aborted is no evidence. */
export const sealedEvidence = (all: readonly Evidence[]): Evidence[] =>
  all.filter((e) => e.status === 'SEALED').sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));

export function manifestContents(input: ExportInput): ManifestContents {
  const c = input.case;
  const closedOn = closingDateOf(c);
  const closed = c.status === 'CLOSED';
  return {
    format: CASE_FILE_FORMAT,
    case: { id: c.id, caseNo: c.caseNo, agencyId: c.agencyId, agencyName: input.agencyName, status: c.status, filingDate: c.filingDate, decisionNo: input.decisionNo ?? null, closedOn: closedOn ?? null },
    closed,
    note: closed ? null : NOT_CLOSED_NOTE,
    exportedAt: input.exportedAt,
    exportedBy: input.exportedBy,
    documents: input.documents.map((d, i) => ({ name: documentEntryName(d, i), documentId: d.id, documentNo: d.documentNo, type: d.type, title: d.title, date: d.date, sha256: d.sha256, bytes: d.bytes })),
    evidence: sealedEvidence(input.evidence).map((e) => ({
      id: e.id,
      mediaType: e.mediaType,
      fileName: e.fileName,
      objectKey: e.objectKey,
      objectVersionId: e.objectVersionId ?? null,
      sha256: e.sha256,
      sizeBytes: e.sizeBytes,
      capturedAt: e.capturedAt,
      sealedAt: e.sealedAt ?? null,
      signatureKeyId: e.signature?.keyId ?? null,
    })),
  };
}

// ---------------------------------------------------------------- the PDF's layout

export interface TocEntry {
  readonly title: string;
  readonly documentNo: string;
  readonly date: string;
  /** 1-based page of the whole case file. */
  readonly startPage: number;
  readonly pages: number;
}

/**
 * The table of contents from the section sizes: the front matter (cover and contents) comes first, so
 * every start depends on how many pages the contents take.
 */
export function tableOfContents(
  frontPages: number,
  documents: readonly { readonly title: string; readonly documentNo: string; readonly date: string; readonly pages: number }[],
  tail: readonly { readonly title: string; readonly pages: number }[],
  exportDate: string,
): { entries: TocEntry[]; totalPages: number } {
  let page = frontPages + 1;
  const entries: TocEntry[] = [];
  for (const d of documents) {
    entries.push({ title: d.title, documentNo: d.documentNo, date: d.date, startPage: page, pages: d.pages });
    page += d.pages;
  }
  for (const t of tail) {
    entries.push({ title: t.title, documentNo: '', date: exportDate, startPage: page, pages: t.pages });
    page += t.pages;
  }
  return { entries, totalPages: page - 1 };
}
