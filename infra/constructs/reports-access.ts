/**
 * The IAM actions behind `reportsBucket` in shared/manifest.ts, and the variable the runtime reads the
 * bucket's name from. Kept apart from the construct so that the mapping can be read (and reviewed) on one
 * screen.
 *
 * - `read` (the public function): signs download links of published reports. A presigned URL carries the
 *   signer's rights, so the signer needs `s3:GetObject`, and, the bucket being SSE-KMS, `kms:Decrypt` on
 *   the bucket's key through S3: the anonymous browser that follows the link makes the request with the
 *   signer's credentials.
 * - `write` (the jobs function): stores each version's PDF and .xlsx (`s3:PutObject`, with
 *   `kms:GenerateDataKey`) and signs the delivery links (`s3:GetObject`, with `kms:Decrypt`).
 *
 * Only on `<bucket ARN>/reports/*`, never the bucket itself, and never a delete: published reports are
 * public records (the bucket policy denies `s3:DeleteObject*` to everyone as well).
 *
 * The variable name must match the runtime's (`REPORTS_BUCKET_ENV` in shared/aws/reports-bucket.ts);
 * infra does not import that module (it loads the AWS SDK), so test/infra/reports.test.ts pins the name.
 */
import type { FunctionSpec } from '../../shared/manifest.ts';

export type ReportsAccess = NonNullable<FunctionSpec['reportsBucket']>;

/** `REPORTS_BUCKET_ENV` in shared/aws/reports-bucket.ts. */
export const REPORTS_BUCKET_ENV = 'REPORTS_BUCKET';

/** Key prefix of every report file (`reports/<year>/v<n>/…`, shared/services/annual-report.ts); grants are scoped to it. */
export const REPORTS_PREFIX = 'reports/';

/** S3 actions on `reports/*` per access. */
export const REPORT_OBJECT_ACTIONS: Readonly<Record<ReportsAccess, readonly string[]>> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:GetObject'],
};

/** What S3 needs on the bucket key, on the function's behalf, for those actions (SSE-KMS). */
export const REPORT_KEY_ACTIONS: Readonly<Record<ReportsAccess, readonly string[]>> = {
  read: ['kms:Decrypt'],
  write: ['kms:GenerateDataKey', 'kms:Decrypt'],
};
