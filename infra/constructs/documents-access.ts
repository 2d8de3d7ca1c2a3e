/**
 * The IAM actions behind `documentsBucket` in shared/manifest.ts: the case documents (the SAMR
 * penalty-procedure documents, issue 15) that the `cases` function generates as PDFs and keeps in the
 * reports bucket under `documents/<case id>/<document id>.pdf`. Kept apart from the construct so that the
 * mapping can be read (and reviewed) on one screen, like reports-access.ts.
 *
 * - `write` (the cases function): stores each generated document (`s3:PutObject`, with
 *   `kms:GenerateDataKey`) and reads it back to serve it and, later, to build a case-file zip
 *   (`s3:GetObject`, with `kms:Decrypt`).
 *
 * Only on `<bucket ARN>/documents/*`, never the bucket itself, never `reports/*`, and never a delete: an
 * issued document is part of the case file (the bucket policy denies `s3:DeleteObject*` to everyone, on
 * every object of the bucket, documents included; the bucket is versioned, so a PutObject on an existing
 * key keeps the earlier version). The key only through S3.
 *
 * The bucket's name is in the same variable as the reports' (`REPORTS_BUCKET`): the runtime
 * (shared/aws/documents-bucket.ts) reads it from there with the prefix `documents/`; test/infra pins both.
 */
import type { FunctionSpec } from '../../shared/manifest.ts';
import { REPORTS_BUCKET_ENV } from './reports-access.ts';

export type DocumentsAccess = NonNullable<FunctionSpec['documentsBucket']>;

/** The variable the runtime reads the bucket's name from: the reports bucket's own (REPORTS_BUCKET). */
export const DOCUMENTS_BUCKET_ENV = REPORTS_BUCKET_ENV;

/** Key prefix of every case document (`documents/<case id>/<document id>.pdf`); grants are scoped to it. */
export const DOCUMENTS_PREFIX = 'documents/';

/** S3 actions on `documents/*` per access. */
export const DOCUMENT_OBJECT_ACTIONS: Readonly<Record<DocumentsAccess, readonly string[]>> = {
  write: ['s3:PutObject', 's3:GetObject'],
};

/** What S3 needs on the bucket key, on the function's behalf, for those actions (SSE-KMS). */
export const DOCUMENT_KEY_ACTIONS: Readonly<Record<DocumentsAccess, readonly string[]>> = {
  write: ['kms:GenerateDataKey', 'kms:Decrypt'],
};
