/**
 * The annual reports' files (PDF, .xlsx) in the reports bucket (`REPORTS_BUCKET`; locally s3rver's
 * bucket under the `reports/` prefix). Written once per version, never deleted.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from './s3-client.ts';
import { requireEnv } from './env.ts';

export const REPORTS_BUCKET_ENV = 'REPORTS_BUCKET';
const bucket = (): string => requireEnv(REPORTS_BUCKET_ENV);

export async function putReportFile(key: string, body: Buffer, contentType: string): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
}

/** A short-lived download link, saved under `fileName`. */
export function reportFileUrl(key: string, fileName: string, ttlSeconds: number): Promise<string> {
  return getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: bucket(), Key: key, ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` }), { expiresIn: ttlSeconds });
}
