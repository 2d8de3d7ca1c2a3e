/**
 * The penalty-procedure documents' PDFs (P7) in the reports bucket (`REPORTS_BUCKET`) under
 * `documents/<caseId>/<documentId>.pdf`; locally s3rver's one bucket. Written once (a new document is a
 * new key), never deleted: the bucket policy denies deletes and the bucket keeps versions.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from './s3-client.ts';
import { requireEnv } from './env.ts';

/** Key prefix of every case document; the cases function's grant is scoped to it (infra/constructs/documents-access.ts). */
export const DOCUMENTS_PREFIX = 'documents/';
const bucket = (): string => requireEnv('REPORTS_BUCKET');

export const documentObjectKey = (caseId: string, documentId: string): string => `${DOCUMENTS_PREFIX}${caseId}/${documentId}.pdf`;

export async function putDocumentFile(key: string, body: Buffer, sha256Base64: string, contentType = 'application/pdf'): Promise<void> {
  // S3 checks the body against the hash the document record keeps.
  await s3Client().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType, ContentLength: body.length, ChecksumSHA256: sha256Base64 }));
}

/** Where an export too large to answer inline is kept: by case and content hash, so a repeat overwrites nothing new. */
export const exportObjectKey = (caseId: string, sha256Hex: string, extension: 'pdf' | 'zip'): string => `${DOCUMENTS_PREFIX}exports/${caseId}/${sha256Hex}.${extension}`;

/** A short-lived download link, saved under `fileName`. */
export function documentFileUrl(key: string, fileName: string, ttlSeconds: number): Promise<string> {
  return getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: bucket(), Key: key, ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` }), { expiresIn: ttlSeconds });
}

export async function getDocumentFile(key: string): Promise<Buffer> {
  const res = await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  if (!res.Body) throw new Error(`Document object ${key} has no body`);
  return Buffer.from(await res.Body.transformToByteArray());
}
