/**
 * The locked copies of the audit checkpoints (`CHECKPOINTS_BUCKET`): S3 with Object Lock in COMPLIANCE
 * mode by the bucket's default retention (AWS), s3rver with the local extensions' bucket default
 * (local mode). Each object is written once; there is deliberately no delete here, and the bucket
 * policy denies deletes and retention changes to everyone.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { s3Client } from './s3-client.ts';
import { requireEnv } from './env.ts';

export const CHECKPOINTS_BUCKET_ENV = 'CHECKPOINTS_BUCKET';
/** Every checkpoint object is under this prefix; IAM grants are scoped to it. */
export const CHECKPOINTS_PREFIX = 'checkpoints/';

const bucket = (): string => requireEnv(CHECKPOINTS_BUCKET_ENV);

export const checkpointObjectKey = (chain: string, treeSize: number): string => `${CHECKPOINTS_PREFIX}${chain}/${String(treeSize).padStart(12, '0')}.json`;

/** Stores a checkpoint document; the bucket's default retention locks it. */
export async function putCheckpointObject(chain: string, treeSize: number, document: string): Promise<void> {
  const body = Buffer.from(document, 'utf8');
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket(), Key: checkpointObjectKey(chain, treeSize), Body: body, ContentType: 'application/json', ContentLength: body.length }),
  );
}

/** The locked copy's text, or undefined when there is none. */
export async function getCheckpointObject(chain: string, treeSize: number): Promise<string | undefined> {
  try {
    const res = await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: checkpointObjectKey(chain, treeSize) }));
    return res.Body ? await res.Body.transformToString('utf8') : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
    throw error;
  }
}
