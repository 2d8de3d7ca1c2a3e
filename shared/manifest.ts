/**
 * The one list of functions and routes. Pure data: the CDK stacks build the REST API and the
 * Lambda functions from it, and the local HTTP server dispatches requests with it, so the two
 * cannot drift apart. Infra must not import handler code, only these paths.
 */

export type TableId = 'Officers' | 'Catalog' | 'Cases' | 'Disclosures' | 'Audit';

/**
 * How a function may use a table. `public-read` is read access restricted (by an IAM condition on
 * `dynamodb:Attributes`) to the attributes listed in `PUBLIC_OFFICER_ATTRIBUTES`.
 *
 * The Audit table's kinds (infra/constructs/table-access.ts), each limited by `dynamodb:LeadingKeys`:
 * - `append`: put events and move heads, in the `CHAIN#*` partitions only;
 * - `append-checkpoint`: `append`, plus reading the chains' events and writing the Merkle nodes, frontiers
 *   and checkpoints (`MERKLE#*`, `FRONTIER#*`, `CHECKPOINT#*`) — the checkpoint job;
 * - `read-checkpoint`: `read`, plus writing those checkpoint items — the audit function (on demand);
 * - `audit-public-read`: reading the checkpoint items and nothing else (never an event) — the public function.
 */
export type TableAccess = 'read' | 'readwrite' | 'append' | 'public-read' | 'append-checkpoint' | 'read-checkpoint' | 'audit-public-read';

export type FunctionId = 'public' | 'registry' | 'catalog' | 'audit' | 'cases' | 'reviews' | 'review-tasks' | 'evidence' | 'evidence-seal' | 'compliance' | 'reports' | 'jobs';

/**
 * S3 actions a function may take on the evidence bucket, on the `evidence/` prefix only. Deliberately
 * no `s3:DeleteObject*` and no `s3:BypassGovernanceRetention` anywhere (R6); `s3:PutObjectRetention`
 * only for the function that seals. Presigned URLs carry the signer's rights, so the API function needs
 * `s3:PutObject` for devices' uploads and `s3:GetObject` for downloads.
 */
export type EvidenceAction =
  | 's3:PutObject'
  | 's3:GetObject'
  | 's3:GetObjectVersion'
  | 's3:ListMultipartUploadParts'
  | 's3:AbortMultipartUpload'
  | 's3:PutObjectRetention'
  | 's3:GetObjectRetention'
  | 's3:PutObjectLegalHold'
  | 's3:GetObjectLegalHold';

/** Key prefix of every evidence object; IAM grants are scoped to it. */
export const EVIDENCE_PREFIX = 'evidence/';

export interface FunctionSpec {
  readonly id: FunctionId;
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly tables: Readonly<Partial<Record<TableId, TableAccess>>>;
  /** Longest expected run; imports of large power lists take the longest. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * Who invokes it: API Gateway (routes below), a state machine's Task states, S3 object-created events,
   * or only the schedules of shared/schedules.ts. @default 'api'
   */
  readonly invokedBy?: 'api' | 'workflow' | 's3' | 'schedule';
  /** Publishes alert digests to the alert topic (SNS). */
  readonly publishesAlerts?: boolean;
  /**
   * The annual reports' bucket (objects under `reports/`): `read` signs download links (GetObject),
   * `write` stores a version's PDF and .xlsx (PutObject, GetObject). Never a delete.
   */
  readonly reportsBucket?: 'read' | 'write';
  /**
   * The case documents' objects (the penalty-procedure documents, under `documents/` in the reports
   * bucket, keyed `documents/<case id>/<document id>.pdf`): `write` stores each generated document and
   * reads it back (PutObject, GetObject). Nothing beyond PutObject that could delete or overwrite an
   * existing version (the bucket is versioned), and never a delete: the bucket policy denies deletes to
   * everyone.
   */
  readonly documentsBucket?: 'write';
  /**
   * The audit checkpoints' bucket (objects under `checkpoints/`, Object Lock COMPLIANCE by default):
   * `write` stores each new checkpoint's locked copy and reads them back (PutObject, GetObject). Never a
   * delete or a retention change (the bucket policy denies them to everyone).
   */
  readonly checkpointsBucket?: 'write';
  /** Actions on the evidence bucket (objects under EVIDENCE_PREFIX). */
  readonly evidenceBucket?: readonly EvidenceAction[];
  /** Use of the evidence signing key (KMS, ECC P-256): `sign` includes `verify`. */
  readonly signingKey?: 'sign' | 'verify';
  /** Creates and deletes Cognito app clients for field devices (client-credentials grant). */
  readonly manageDeviceClients?: boolean;
  /** Workflows (statemachines/<name>.asl.json) it starts or completes steps of (StartExecution, SendTask*). */
  readonly drivesWorkflows?: readonly string[];
  /**
   * Serves paged lists (routes with an opaque `cursor`): reads the cursor-signing secret
   * (`secretsmanager:GetSecretValue` on that one secret, shared/aws/cursor-secret.ts).
   */
  readonly pagesLists?: boolean;
}

export const functions: readonly FunctionSpec[] = [
  {
    id: 'public',
    entry: 'functions/public/handler.ts',
    description: 'Public disclosure API (no login): agencies, officers, certificate check, powers, inspection items',
    // No access to Cases at all: unredacted data cannot leak through the public API (D9, D14). Of the
    // Audit table only the checkpoints, Merkle nodes and frontiers, never an event (issue 12).
    tables: { Officers: 'public-read', Catalog: 'read', Disclosures: 'read', Audit: 'audit-public-read' },
    // Download links of the published annual reports.
    reportsBucket: 'read',
    // Publishes the checkpoints' public key (GET /public/audit/key).
    signingKey: 'verify',
    timeoutSeconds: 10,
    memoryMb: 512,
    pagesLists: true,
  },
  {
    id: 'registry',
    entry: 'functions/registry/handler.ts',
    description: 'Agencies and officers: certificates, training, reviewer flags (D1, D4, D5, S1, S2)',
    tables: { Officers: 'readwrite', Audit: 'append' },
    manageDeviceClients: true,
    timeoutSeconds: 15,
    memoryMb: 512,
    pagesLists: true,
  },
  {
    id: 'catalog',
    entry: 'functions/catalog/handler.ts',
    description: 'Power list and random-inspection item list, versioned, with imports (D2, D3)',
    tables: { Catalog: 'readwrite', Officers: 'read', Audit: 'append' },
    timeoutSeconds: 60,
    memoryMb: 1024,
    pagesLists: true,
  },
  {
    id: 'cases',
    entry: 'functions/cases/handler.ts',
    description: 'Cases, acts, decisions and their publication, redaction, correction and withdrawal; generates the penalty-procedure documents (D5–D11, R1, L1, P7)',
    // Writes the redacted public record to Disclosures; reads officers and the power list.
    tables: { Cases: 'readwrite', Disclosures: 'readwrite', Officers: 'read', Catalog: 'read', Audit: 'append' },
    // The penalty-procedure documents it generates as PDFs (P7, issue 15): stored under documents/ of the
    // reports bucket and read back to serve them (and to build a case-file zip).
    documentsBucket: 'write',
    // Signs the electronic case file's manifest (P8, issue 15) with the evidence and checkpoint key.
    signingKey: 'sign',
    timeoutSeconds: 30,
    memoryMb: 1024,
    pagesLists: true,
  },
  {
    id: 'reviews',
    entry: 'functions/reviews/handler.ts',
    description: 'Legal review of major decisions: submission, opinions, coordination, collective discussion, approval (L1–L7)',
    tables: { Cases: 'readwrite', Officers: 'read', Catalog: 'read', Audit: 'append' },
    timeoutSeconds: 30,
    memoryMb: 1024,
    drivesWorkflows: ['legal-review'],
    pagesLists: true,
  },
  {
    id: 'review-tasks',
    entry: 'functions/review-tasks/handler.ts',
    description: 'The Task states of the legal-review workflow (statemachines/legal-review.asl.json)',
    tables: { Cases: 'readwrite', Officers: 'read', Catalog: 'read', Audit: 'append' },
    timeoutSeconds: 50,
    memoryMb: 1024,
    invokedBy: 'workflow',
  },
  {
    id: 'evidence',
    entry: 'functions/evidence/handler.ts',
    description: 'Evidence from field devices: presigned uploads, access with chain of custody, legal hold, recording gaps (R3–R7, N7)',
    tables: { Cases: 'readwrite', Officers: 'read', Audit: 'append' },
    evidenceBucket: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:ListMultipartUploadParts', 's3:PutObjectLegalHold', 's3:GetObjectLegalHold', 's3:GetObjectRetention'],
    signingKey: 'verify',
    // An object found altered when a download link is asked for is alerted at once (issue 10).
    publishesAlerts: true,
    timeoutSeconds: 30,
    memoryMb: 1024,
    pagesLists: true,
  },
  {
    id: 'evidence-seal',
    entry: 'functions/evidence-seal/handler.ts',
    description: 'Verifies each uploaded evidence object by streaming its SHA-256, then seals it (Object Lock retention, signed manifest) or rejects it (R6, R7); aborts abandoned uploads (scheduled)',
    tables: { Cases: 'readwrite', Officers: 'read', Audit: 'append' },
    // AbortMultipartUpload: the scheduled job that aborts uploads left unfinished for 24 hours (an
    // incomplete upload is no object: no evidence is touched).
    evidenceBucket: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObjectRetention', 's3:GetObjectRetention', 's3:AbortMultipartUpload'],
    signingKey: 'sign',
    // Streaming 5 GiB at ~100 MB/s inside a region takes about a minute; leave room.
    timeoutSeconds: 900,
    memoryMb: 1024,
    invokedBy: 's3',
  },
  {
    id: 'compliance',
    entry: 'functions/compliance/handler.ts',
    description: 'Compliance views: what is due soon or overdue, with the working days left (D7, D5, N5, N9, N11)',
    // Read only: the view computes the daily check's list without acting on it.
    tables: { Cases: 'read', Officers: 'read', Disclosures: 'read', Catalog: 'read' },
    timeoutSeconds: 30,
    memoryMb: 1024,
  },
  {
    id: 'reports',
    entry: 'functions/reports/handler.ts',
    description: 'The annual statistics report on demand for the legal division: draft, deliver, publish, correct (D13, N13)',
    // As the January jobs do it: the year's counters (Cases) and officers (Officers) read, the report's
    // items written in Disclosures, its PDF and .xlsx in the reports bucket, each stage audited, and the
    // admins told (the delivery's links go by the alert).
    tables: { Cases: 'read', Officers: 'read', Disclosures: 'readwrite', Audit: 'append' },
    reportsBucket: 'write',
    publishesAlerts: true,
    // Rendering the PDF and the spreadsheet of every agency; API Gateway waits 29 s at most.
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  {
    id: 'jobs',
    entry: 'functions/jobs/handler.ts',
    description: 'Scheduled compliance jobs: the daily deadline check and its digests, disclosure expiry, review heartbeats, the holiday-data check, the annual report (D7, D11, D13, N5, N9, N11, N13)',
    // Disclosures: ends disclosure periods (N5). legal-review: heartbeats of steps waiting for people.
    // Cases: the annual report's counters (read) and the deadline queues; the evidence re-verification
    // (issue 10) reads sealed objects (evidenceBucket) and writes their records.
    // Audit: the hourly checkpoint job reads the chains' new events and writes the signed checkpoints
    // (signingKey, checkpointsBucket; issue 12).
    tables: { Cases: 'readwrite', Officers: 'read', Disclosures: 'readwrite', Catalog: 'read', Audit: 'append-checkpoint' },
    evidenceBucket: ['s3:GetObject', 's3:GetObjectVersion'],
    signingKey: 'sign',
    checkpointsBucket: 'write',
    drivesWorkflows: ['legal-review'],
    publishesAlerts: true,
    reportsBucket: 'write',
    invokedBy: 'schedule',
    // The evidence re-verification hashes up to EVIDENCE_VERIFY_MAX_BYTES_PER_RUN (40 GiB) at ~100 MB/s.
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  {
    id: 'audit',
    entry: 'functions/audit/handler.ts',
    description: 'Audit trail: hash-chain verification, event queries, signed checkpoints on demand',
    // Checkpoints on demand (POST /audit/checkpoints): the same job as the schedule's (issue 12).
    tables: { Audit: 'read-checkpoint' },
    signingKey: 'sign',
    checkpointsBucket: 'write',
    timeoutSeconds: 300,
    memoryMb: 1024,
    pagesLists: true,
  },
];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
  readonly fn: FunctionId;
  /**
   * `none`: anonymous public route; `user`: Cognito user-pool ID token required; `device`: an access
   * token from the client-credentials grant with the `evidence/upload` scope (field devices).
   */
  readonly auth: 'none' | 'user' | 'device';
}

const r = (method: HttpMethod, path: string, fn: FunctionId, auth: RouteSpec['auth'] = 'user'): RouteSpec => ({
  method,
  path,
  fn,
  auth,
});

export const routes: readonly RouteSpec[] = [
  // Public disclosure (D1–D5, D14)
  r('GET', '/public/agencies', 'public', 'none'),
  r('GET', '/public/officers', 'public', 'none'),
  r('GET', '/public/officers/verify/{certificateNo}', 'public', 'none'),
  r('GET', '/public/powers', 'public', 'none'),
  r('GET', '/public/powers/{code}', 'public', 'none'),
  r('GET', '/public/inspection-items', 'public', 'none'),
  r('GET', '/public/openapi.json', 'public', 'none'),

  r('GET', '/public/decisions', 'public', 'none'),
  r('GET', '/public/decisions/{id}', 'public', 'none'),
  r('GET', '/public/decisions/{id}/proof', 'public', 'none'),
  r('GET', '/public/reports/{year}', 'public', 'none'),
  r('GET', '/public/calendar/{year}', 'public', 'none'),
  // The audit trail's signed checkpoints, checkable by anyone (issue 12)
  r('GET', '/public/audit/key', 'public', 'none'),
  r('GET', '/public/audit/checkpoints', 'public', 'none'),
  r('GET', '/public/audit/checkpoints/{chain}/{size}/consistency', 'public', 'none'),

  // Agencies and officers (admin)
  r('GET', '/agencies', 'registry'),
  r('POST', '/agencies', 'registry'),
  r('GET', '/agencies/{id}', 'registry'),
  r('PATCH', '/agencies/{id}', 'registry'),
  r('GET', '/officers', 'registry'),
  r('POST', '/officers', 'registry'),
  r('GET', '/officers/{id}', 'registry'),
  // The certificate check's QR code, for printing on the certificate (issue 14)
  r('GET', '/officers/{id}/certificate-qr.svg', 'registry'),
  r('GET', '/officers/{id}/certificate-qr.png', 'registry'),
  r('PATCH', '/officers/{id}', 'registry'),
  r('POST', '/officers/{id}/certificate-status', 'registry'),
  r('POST', '/officers/{id}/training', 'registry'),
  r('GET', '/devices', 'registry'),
  r('POST', '/devices', 'registry'),
  r('GET', '/devices/{id}', 'registry'),
  r('POST', '/devices/{id}/revoke', 'registry'),
  r('POST', '/devices/{id}/credentials', 'registry'),
  // The internal API's OpenAPI document, for staff (issue 16); generated by npm run openapi
  r('GET', '/openapi.json', 'registry'),

  // Power list and random-inspection items (admin)
  r('GET', '/powers', 'catalog'),
  r('POST', '/powers', 'catalog'),
  r('GET', '/powers/{code}', 'catalog'),
  r('PUT', '/powers/{code}', 'catalog'),
  r('POST', '/powers/{code}/repeal', 'catalog'),
  r('POST', '/powers/import', 'catalog'),
  r('GET', '/inspection-items', 'catalog'),
  r('POST', '/inspection-items', 'catalog'),
  r('GET', '/inspection-items/{code}', 'catalog'),
  r('PUT', '/inspection-items/{code}', 'catalog'),
  r('POST', '/inspection-items/{code}/repeal', 'catalog'),
  r('GET', '/first-violation-items', 'catalog'),
  r('POST', '/first-violation-items', 'catalog'),
  r('GET', '/first-violation-items/{code}', 'catalog'),
  r('PUT', '/first-violation-items/{code}', 'catalog'),
  r('POST', '/first-violation-items/{code}/repeal', 'catalog'),
  r('GET', '/review-catalogue', 'catalog'),
  r('PUT', '/review-catalogue', 'catalog'),
  // Holiday arrangements entered at run time (D7, N4)
  r('GET', '/calendar/{year}', 'catalog'),
  r('PUT', '/calendar/{year}', 'catalog'),

  // Cases, acts and decisions (R1, D5–D11, L1)
  r('GET', '/cases', 'cases'),
  r('POST', '/cases', 'cases'),
  r('GET', '/cases/{id}', 'cases'),
  r('POST', '/cases/{id}/extensions', 'cases'),
  r('POST', '/cases/{id}/acts', 'cases'),
  r('GET', '/cases/{id}/timeline', 'cases'),
  // The penalty procedure and its documents (issue 15: P1–P4, P7)
  r('POST', '/cases/{id}/notice', 'cases'),
  r('POST', '/cases/{id}/electronic-consent', 'cases'),
  r('POST', '/cases/{id}/services', 'cases'),
  r('GET', '/cases/{id}/services', 'cases'),
  r('POST', '/cases/{id}/statements', 'cases'),
  r('GET', '/cases/{id}/statements', 'cases'),
  r('POST', '/cases/{id}/statements/{statementId}/response', 'cases'),
  r('GET', '/cases/{id}/documents', 'cases'),
  r('GET', '/cases/{id}/documents/{documentId}', 'cases'),
  // The hearing (issue 15: P3, N10, N11)
  r('POST', '/cases/{id}/hearing', 'cases'),
  r('GET', '/cases/{id}/hearing', 'cases'),
  r('POST', '/cases/{id}/hearing/arrangement', 'cases'),
  r('POST', '/cases/{id}/hearing/postponement', 'cases'),
  r('POST', '/cases/{id}/hearing/withdrawal', 'cases'),
  r('POST', '/cases/{id}/hearing/record', 'cases'),
  // The electronic case file (issue 15: P8)
  r('GET', '/cases/{id}/file.pdf', 'cases'),
  r('GET', '/cases/{id}/file.zip', 'cases'),
  // Ending without a penalty, closing, documents on demand (issue 15: P8, P9, P7)
  r('POST', '/cases/{id}/ending', 'cases'),
  r('POST', '/cases/{id}/close', 'cases'),
  r('POST', '/cases/{id}/documents', 'cases'),
  // Payment and remedies (issue 15: P5, P6, N4)
  r('POST', '/cases/{id}/payments', 'cases'),
  r('GET', '/cases/{id}/payments', 'cases'),
  r('POST', '/cases/{id}/payments/arrangement', 'cases'),
  r('POST', '/cases/{id}/remedies', 'cases'),
  r('GET', '/cases/{id}/remedies', 'cases'),
  r('POST', '/cases/{id}/remedies/{remedyId}/outcome', 'cases'),
  r('GET', '/cases/{id}/decision', 'cases'),
  r('PUT', '/cases/{id}/decision', 'cases'),
  r('POST', '/cases/{id}/decision/issue', 'cases'),
  r('POST', '/cases/{id}/decision/publish', 'cases'),
  r('POST', '/cases/{id}/decision/exempt', 'cases'),
  r('POST', '/cases/{id}/decision/correct', 'cases'),
  r('POST', '/cases/{id}/decision/changed', 'cases'),
  r('POST', '/cases/{id}/decision/withdraw', 'cases'),

  // Legal review of major decisions (L1–L7)
  r('POST', '/cases/{id}/decision/review', 'reviews'),
  r('GET', '/cases/{id}/responsibility', 'reviews'),
  r('GET', '/reviews', 'reviews'),
  r('GET', '/reviews/awaiting-leaders', 'reviews'),
  r('GET', '/reviews/{id}', 'reviews'),
  r('POST', '/reviews/{id}/opinion', 'reviews'),
  r('POST', '/reviews/{id}/supplement', 'reviews'),
  r('POST', '/reviews/{id}/coordination', 'reviews'),
  r('POST', '/reviews/{id}/collective-discussion', 'reviews'),
  r('POST', '/reviews/{id}/approval', 'reviews'),
  r('POST', '/reviews/{id}/reassign', 'reviews'),
  r('POST', '/reviews/{id}/withdraw', 'reviews'),
  r('GET', '/compliance/review-staffing', 'reviews'),
  r('GET', '/compliance/deadlines', 'compliance'),
  r('GET', '/reports/annual/{year}', 'reports'),
  r('POST', '/reports/annual/{year}', 'reports'),

  // Evidence from field devices (R3–R7, N7)
  r('POST', '/evidence/uploads', 'evidence', 'device'),
  r('POST', '/evidence/uploads/{id}/parts', 'evidence', 'device'),
  r('POST', '/evidence/uploads/{id}/complete', 'evidence', 'device'),
  r('GET', '/evidence/uploads/{id}', 'evidence', 'device'),
  r('GET', '/cases/{id}/evidence', 'evidence'),
  r('GET', '/evidence/{id}', 'evidence'),
  r('POST', '/evidence/{id}/download-url', 'evidence'),
  r('POST', '/evidence/{id}/legal-hold', 'evidence'),
  r('GET', '/cases/{id}/recording-gaps', 'evidence'),
  r('POST', '/cases/{id}/recording-exceptions', 'evidence'),

  // Audit trail
  r('GET', '/audit/verify', 'audit'),
  r('GET', '/audit/events', 'audit'),
  r('GET', '/audit/recent', 'audit'),
  r('POST', '/audit/checkpoints', 'audit'),
];

/** Officer attributes the public function may read (D4, D5): never ID number, phone or training. */
export const PUBLIC_OFFICER_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'entity',
  'id',
  'name',
  'agencyId',
  'certificateNo',
  'categories',
  'region',
  'certificateStatus',
  'validUntil',
  'officerId',
  'level',
  'parentId',
] as const;

/** OAuth scope a device's access token must carry to call the `device` routes. */
export const DEVICE_UPLOAD_SCOPE = 'evidence/upload';

/**
 * Binary media types: request bodies API Gateway passes through base64-encoded (spreadsheet imports),
 * and responses it decodes from base64 when the request's first Accept type is one of them (the
 * certificate QR code's PNG, issue 14).
 */
export const BINARY_MEDIA_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
  'image/png',
  'application/pdf',
  'application/zip',
] as const;
