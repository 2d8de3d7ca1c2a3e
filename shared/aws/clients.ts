/**
 * AWS clients, created once per process. Endpoints come from the SDK's own service-specific
 * variables (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_S3`), which local mode and the tests set.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

let ddbDoc: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;

export function documentClient(): DynamoDBDocumentClient {
  ddbDoc ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return ddbDoc;
}

export function s3Client(): S3Client {
  // s3rver needs path-style addressing and no streaming checksums (see the toolchain notes).
  const local = process.env.S3_FORCE_PATH_STYLE === 'true';
  s3 ??= new S3Client({
    forcePathStyle: local,
    // Checksums only where an operation requires one, in AWS too: otherwise the SDK signs the CRC32 of
    // an *empty* body into presigned UploadPart URLs (`x-amz-checksum-crc32=AAAAAA==`) and S3 refuses
    // every part a device sends. The evidence's own SHA-256 is signed in explicitly where it applies.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(local ? { responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
  return s3;
}
