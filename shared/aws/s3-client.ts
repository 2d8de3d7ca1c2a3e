/**
 * The S3 client, created once per process; apart from clients.ts so that only code that reaches a
 * bucket (the *-bucket.ts modules) loads the S3 SDK, which is the largest part of a bundle.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { traceClient } from './tracing.ts';

let s3: S3Client | undefined;

export function s3Client(): S3Client {
  // s3rver needs path-style addressing and no streaming checksums (see the toolchain notes).
  const local = process.env.S3_FORCE_PATH_STYLE === 'true';
  s3 ??= traceClient(new S3Client({
    forcePathStyle: local,
    // Checksums only where an operation requires one, in AWS too: otherwise the SDK signs the CRC32 of
    // an *empty* body into presigned UploadPart URLs (`x-amz-checksum-crc32=AAAAAA==`) and S3 refuses
    // every part a device sends. The evidence's own SHA-256 is signed in explicitly where it applies.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(local ? { responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  }));
  return s3;
}
