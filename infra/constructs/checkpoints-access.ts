/**
 * The IAM actions behind `checkpointsBucket` in shared/manifest.ts, the variable the runtime reads the
 * bucket's name from, and what the bucket policy denies to everyone. Kept apart from the construct so
 * that the mapping can be read (and reviewed) on one screen.
 *
 * - `write` (the jobs and audit functions): stores each new checkpoint's locked copy (`s3:PutObject`,
 *   with `kms:GenerateDataKey`) and reads the copies back (`s3:GetObject`, with `kms:Decrypt`) to repair a
 *   missing one and to verify.
 *
 * Only on `<bucket ARN>/checkpoints/*`, never the bucket itself; never a delete or a retention change.
 * The bucket's default Object Lock retention (COMPLIANCE) locks each object as it is written, which
 * needs no retention permission from the writer.
 *
 * The names must match the runtime's (shared/aws/checkpoints-bucket.ts); infra does not import that
 * module (it loads the AWS SDK), so test/infra/checkpoints.test.ts pins them.
 */
import type { FunctionSpec } from '../../shared/manifest.ts';

export type CheckpointsAccess = NonNullable<FunctionSpec['checkpointsBucket']>;

/** `CHECKPOINTS_BUCKET_ENV` in shared/aws/checkpoints-bucket.ts. */
export const CHECKPOINTS_BUCKET_ENV = 'CHECKPOINTS_BUCKET';
/** `CHECKPOINTS_PREFIX` in shared/aws/checkpoints-bucket.ts. */
export const CHECKPOINTS_PREFIX = 'checkpoints/';

export const CHECKPOINT_OBJECT_ACTIONS: Readonly<Record<CheckpointsAccess, readonly string[]>> = {
  write: ['s3:PutObject', 's3:GetObject'],
};

/** What S3 needs on the bucket key, on the function's behalf (SSE-KMS). */
export const CHECKPOINT_KEY_ACTIONS: Readonly<Record<CheckpointsAccess, readonly string[]>> = {
  write: ['kms:GenerateDataKey', 'kms:Decrypt'],
};

/**
 * Denied to every principal (root and CloudFormation included) by the bucket policy: no deleting an
 * object or a version (nor adding a delete marker), no change of an object's retention or legal hold,
 * no bypassing a retention, no change of the bucket's Object Lock configuration. Changing
 * `checkpointRetentionYears` after the first deployment therefore needs this statement removed first.
 */
export const CHECKPOINTS_BUCKET_DENIED_ACTIONS = [
  's3:DeleteObject*',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
] as const;
