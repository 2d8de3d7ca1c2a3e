/**
 * The IAM actions behind the evidence fields of shared/manifest.ts (`evidenceBucket`, `signingKey`,
 * `manageDeviceClients`), and the environment variables the runtime reads them from. Kept apart from the
 * construct so that the mapping can be read (and reviewed) on one screen.
 *
 * Never granted to any function: `s3:DeleteObject*` and `s3:BypassGovernanceRetention` (R6: evidence is
 * never destroyed; the bucket policy denies them to everyone as well), and no S3 action outside the
 * `evidence/` prefix.
 *
 * The variable names must match the runtime's (shared/aws/signer.ts, shared/aws/device-clients.ts,
 * shared/services/evidence.ts); infra does not import those modules (they load the AWS SDK), so
 * test/infra/evidence.test.ts pins the names against them.
 */
import type { EvidenceAction } from '../../shared/manifest.ts';

/** KMS key id (the ARN here) of the signing key: `SIGNING_KEY_ENV` in shared/aws/signer.ts. */
export const SIGNING_KEY_ENV = 'EVIDENCE_SIGNING_KEY_ID';
/** Object Lock retention the sealing function sets, in years (shared/services/evidence.ts). */
export const RETENTION_YEARS_ENV = 'EVIDENCE_RETENTION_YEARS';
/** `USER_POOL_ID_ENV` and `DEVICE_TOKEN_URL_ENV` in shared/aws/device-clients.ts. */
export const USER_POOL_ID_ENV = 'USER_POOL_ID';
export const DEVICE_TOKEN_URL_ENV = 'DEVICE_TOKEN_URL';

/** Refused on the evidence bucket whatever the manifest says (its type already excludes them). */
export const FORBIDDEN_EVIDENCE_ACTION = /^s3:(Delete.*|BypassGovernanceRetention|PutBucket.*|\*.*)$|\*/;

/** S3 actions that write object data: with SSE-KMS the caller needs a data key, and for multipart uploads Decrypt too. */
const WRITES_DATA: readonly EvidenceAction[] = ['s3:PutObject'];
/** S3 actions that read object data: the caller needs Decrypt. HEAD needs no KMS permission. */
const READS_DATA: readonly EvidenceAction[] = ['s3:GetObject', 's3:GetObjectVersion'];

/**
 * What a principal needs on the bucket's KMS key for S3 to use it on its behalf (SSE-KMS), given its S3
 * actions: `kms:GenerateDataKey` to write objects (PutObject, CreateMultipartUpload, UploadPart, also
 * through presigned URLs, which carry the signer's rights) and `kms:Decrypt` to read them or to complete
 * a multipart upload. Empty when the actions touch no object data (retention, legal hold).
 */
export function evidenceKeyActions(actions: readonly EvidenceAction[]): string[] {
  const writes = actions.some((a) => WRITES_DATA.includes(a));
  const reads = actions.some((a) => READS_DATA.includes(a));
  return [...(writes ? ['kms:GenerateDataKey'] : []), ...(writes || reads ? ['kms:Decrypt'] : [])];
}

/** The signing key: `sign` signs manifests (and reads the public key to verify); `verify` only reads the public key. */
export const SIGN_ACTIONS = ['kms:Sign'] as const;
export const PUBLIC_KEY_ACTIONS = ['kms:GetPublicKey'] as const;
/** How shared/aws/signer.ts signs: the Sign statement is conditioned on exactly this. */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';
export const SIGNING_MESSAGE_TYPE = 'RAW';

/** One Cognito app client per field device (client-credentials grant), created at registration, deleted on revocation. */
export const DEVICE_CLIENT_ACTIONS = ['cognito-idp:CreateUserPoolClient', 'cognito-idp:DeleteUserPoolClient'] as const;
