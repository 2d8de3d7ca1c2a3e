/**
 * The evidence bucket (S3 with Object Lock in AWS, s3rver with the local extensions in local mode):
 * every S3 call the evidence code makes, in one place. There is deliberately no delete here (R6).
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { EVIDENCE_BUCKET_ENV } from '../store/tables.ts';
import { s3Client } from './s3-client.ts';
import { requireEnv } from './env.ts';

const bucket = (): string => requireEnv(EVIDENCE_BUCKET_ENV);

export interface StoredPart {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
}

export interface ObjectInfo {
  readonly size: number;
  readonly versionId?: string;
  readonly etag?: string;
}

export async function createMultipartUpload(key: string, contentType: string): Promise<string> {
  const res = await s3Client().send(new CreateMultipartUploadCommand({ Bucket: bucket(), Key: key, ContentType: contentType }));
  if (!res.UploadId) throw new Error('S3 returned no UploadId');
  return res.UploadId;
}

export function presignPart(key: string, uploadId: string, partNumber: number, ttlSeconds: number): Promise<string> {
  return getSignedUrl(s3Client(), new UploadPartCommand({ Bucket: bucket(), Key: key, UploadId: uploadId, PartNumber: partNumber }), { expiresIn: ttlSeconds });
}

/**
 * A single-PUT URL. In AWS the declared SHA-256 is signed into it (`x-amz-checksum-sha256`), so S3
 * itself refuses a body that does not match; the device must send the returned headers as they are.
 */
export async function presignPut(key: string, contentType: string, sha256Hex: string, ttlSeconds: number): Promise<{ url: string; headers: Record<string, string> }> {
  const checksum = Buffer.from(sha256Hex, 'hex').toString('base64');
  const url = await getSignedUrl(s3Client(), new PutObjectCommand({ Bucket: bucket(), Key: key, ContentType: contentType, ChecksumSHA256: checksum }), {
    expiresIn: ttlSeconds,
    signableHeaders: new Set(['content-type', 'x-amz-checksum-sha256']),
    // Kept a signed header: the presigner would otherwise hoist it into the query string, where S3 does
    // not check it (aws/aws-sdk-js-v3#4448), and a device sending the header would be refused as unsigned.
    unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
  });
  return { url, headers: { 'content-type': contentType, 'x-amz-checksum-sha256': checksum } };
}

/** The parts S3 holds for an upload, ascending; undefined when the upload no longer exists. */
export async function listParts(key: string, uploadId: string): Promise<StoredPart[] | undefined> {
  const parts: StoredPart[] = [];
  let marker: string | undefined;
  try {
    for (;;) {
      const res = await s3Client().send(new ListPartsCommand({ Bucket: bucket(), Key: key, UploadId: uploadId, ...(marker ? { PartNumberMarker: marker } : {}) }));
      for (const p of res.Parts ?? []) {
        if (p.PartNumber !== undefined && p.ETag !== undefined) parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 });
      }
      if (!res.IsTruncated || res.NextPartNumberMarker === undefined) break;
      marker = res.NextPartNumberMarker;
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

export async function completeMultipartUpload(key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<void> {
  await s3Client().send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket(),
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
    }),
  );
}

/** Frees the parts of an upload that never became an object (no evidence object is touched). */
export async function abortMultipartUpload(key: string, uploadId: string): Promise<void> {
  try {
    await s3Client().send(new AbortMultipartUploadCommand({ Bucket: bucket(), Key: key, UploadId: uploadId }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export async function headObject(key: string, versionId?: string): Promise<ObjectInfo | undefined> {
  try {
    const res = await s3Client().send(new HeadObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    return { size: res.ContentLength ?? 0, ...(res.VersionId ? { versionId: res.VersionId } : {}), ...(res.ETag ? { etag: res.ETag } : {}) };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The object's bytes as a stream: hashing never holds the file in memory. */
export async function objectStream(key: string, versionId?: string): Promise<Readable> {
  const res = await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  if (!res.Body) throw new Error('S3 returned no body');
  return res.Body as Readable;
}

export async function putComplianceRetention(key: string, versionId: string | undefined, until: Date): Promise<void> {
  await s3Client().send(
    new PutObjectRetentionCommand({
      Bucket: bucket(),
      Key: key,
      ...(versionId ? { VersionId: versionId } : {}),
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until },
    }),
  );
}

export async function putLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void> {
  await s3Client().send(
    new PutObjectLegalHoldCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}), LegalHold: { Status: on ? 'ON' : 'OFF' } }),
  );
}

/** A short-lived GET of exactly the sealed version, saved under the original file name. */
export function presignGet(key: string, versionId: string | undefined, fileName: string, ttlSeconds: number): Promise<string> {
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ...(versionId ? { VersionId: versionId } : {}),
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    }),
    { expiresIn: ttlSeconds },
  );
}

function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  if (error instanceof S3ServiceException) return error.name === 'NoSuchUpload' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404;
  return false;
}
