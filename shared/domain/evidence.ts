/**
 * Audio/video and document evidence (音像记录与电子证据, R3–R7, N7): the upload request a field device
 * sends, the S3 multipart part planner, resume support, and the manifest that is signed when the
 * evidence is sealed. Pure: no AWS SDK, no I/O.
 */
import * as z from './z.ts';
import { canonicalJson } from './audit.ts';
import { ValidationError } from './errors.ts';
import type { EvidenceIntegrity } from './evidence-integrity.ts';
import { pastInstant } from './dates.ts';
import { decimal } from './numbers.ts';
import { entityRef, multiLineText, singleLineText } from './text.ts';

// ---------------------------------------------------------------------------------------------
// S3 limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html)
// ---------------------------------------------------------------------------------------------

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** Smallest multipart part, except the last one. */
export const MIN_PART_SIZE = 5 * MiB;
/** Largest multipart part. */
export const MAX_PART_SIZE = 5 * GiB;
/** Most parts in one multipart upload. */
export const MAX_PARTS = 10_000;
/** Largest S3 object. */
export const MAX_OBJECT_SIZE = 5 * TiB;
/** Largest object a single PUT may upload. */
export const SINGLE_PUT_MAX = 5 * GiB;
/** Files up to this size go in one PUT unless told otherwise. */
export const DEFAULT_SINGLE_PUT_THRESHOLD = 16 * MiB;
/** Preferred part size unless told otherwise; grown when a file would need more than MAX_PARTS parts. */
export const DEFAULT_PART_SIZE = 16 * MiB;

// ---------------------------------------------------------------------------------------------
// The upload request (POST /evidence/uploads)
// ---------------------------------------------------------------------------------------------

export const MEDIA_TYPES = ['VIDEO', 'AUDIO', 'PHOTO', 'DOCUMENT'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const MEDIA_TYPE_LABELS: Record<MediaType, string> = {
  VIDEO: '视频',
  AUDIO: '录音',
  PHOTO: '照片',
  DOCUMENT: '文档',
};

/** No path separators, no control characters (C0, DEL, C1). */
const FILE_NAME_FORBIDDEN = /[/\\\u0000-\u001f\u007f-\u009f]/;
/** `type/subtype`, RFC 6838 restricted names, no parameters. */
const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;

export const sha256Field = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SHA256_RE, { message: 'SHA-256 应为 64 位十六进制字符' })
  .meta({ description: '整个文件的 SHA-256（十六进制）', example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });

export const fileName = singleLineText({ min: 1, max: 200, label: '文件名' })
  .refine((v) => !FILE_NAME_FORBIDDEN.test(v), { message: '文件名不能包含路径分隔符（/ 或 \\）或控制字符' })
  .refine((v) => v !== '.' && v !== '..', { message: '文件名无效' })
  .meta({ description: '原始文件名（不含路径）' });

export const contentType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(MIME_RE, { message: '文件类型应为 MIME 类型，如 video/mp4' })
  .meta({ description: 'MIME 类型', example: 'video/mp4' });

/** Decimal places kept for coordinates (about 1 cm). */
export const GPS_DECIMALS = 7;
/** A fix worse than 100 km locates nothing. */
export const MAX_GPS_ACCURACY_METERS = 100_000;

export const gps = z
  .strictObject({
    // 7 decimals are about 1 cm: more is noise, and 1e-300 is not a position the store can keep.
    lat: decimal({ min: -90, max: 90, places: GPS_DECIMALS, label: '纬度' }),
    lon: decimal({ min: -180, max: 180, places: GPS_DECIMALS, label: '经度' }),
    accuracyMeters: decimal({ min: 0, max: MAX_GPS_ACCURACY_METERS, places: 2, label: '定位精度', unit: '米' }).optional(),
  })
  .meta({ description: '卫星定位（WGS-84）' });

export const capturePlace = z
  .strictObject({
    text: singleLineText({ min: 2, max: 200, label: '采集地点' })
      .meta({ description: '采集地点' }),
    gps: gps.optional(),
  })
  .meta({ description: '采集地点（文字，可附定位）' });
export type CapturePlace = z.infer<typeof capturePlace>;

function makeStartUploadBody(clock: () => Date, clockSkewMs: number) {
  return z.strictObject({
    caseId: z.uuid({ message: '案件编号（caseId）应为 UUID' }),
    actId: z.uuid({ message: '执法行为编号（actId）应为 UUID' }).optional(),
    mediaType: z.enum(MEDIA_TYPES, { message: '媒体类型应为 VIDEO、AUDIO、PHOTO 或 DOCUMENT' }),
    fileName,
    contentType: contentType.optional(),
    sizeBytes: z
      .number({ message: '文件大小应为字节数' })
      .int({ message: '文件大小应为整数字节' })
      .min(1, { message: '文件不能为空' })
      .max(MAX_OBJECT_SIZE, { message: '文件大小超过上限 5 TiB' }),
    sha256: sha256Field,
    capturedAt: pastInstant({ clock, skewMs: clockSkewMs, futureMessage: '采集时间不能晚于当前时间' })
      .meta({ description: '采集时间' }),
    capturePlace,
    collectorOfficerId: z
      .string()
      .trim()
      .pipe(entityRef)
      .meta({ description: '采集人（执法人员编号）' }),
    proves: multiLineText({ min: 2, max: 500, label: '证明对象' })
      .meta({ description: '证明对象' }),
  });
}

/**
 * The body of `POST /evidence/uploads` judged against a fixed `now` (for tests and for handlers
 * that carry their own clock). `clockSkewMs` tolerates a device clock slightly ahead (default 0).
 * The case number is not in the body: it is derived from the case.
 */
export function startUploadBodyAt(now: Date, clockSkewMs = 0) {
  return makeStartUploadBody(() => now, clockSkewMs);
}

/** The body of `POST /evidence/uploads`; "not in the future" is judged at parse time. */
export const startUploadBody = makeStartUploadBody(() => new Date(), 0);

/** A device's clock may run a little ahead of ours: two minutes are tolerated. */
export const DEVICE_CLOCK_SKEW_MS = 2 * 60 * 1000;
export const deviceStartUploadBody = makeStartUploadBody(() => new Date(), DEVICE_CLOCK_SKEW_MS);
export type StartUploadBody = z.infer<typeof startUploadBody>;

// ---------------------------------------------------------------------------------------------
// The part planner
// ---------------------------------------------------------------------------------------------

export interface PartRange {
  readonly partNumber: number;
  /** First byte, inclusive. */
  readonly start: number;
  /** Byte after the last one (exclusive). */
  readonly end: number;
  readonly size: number;
}

export interface PartPlan {
  /** One PUT of the whole object (then partCount is 1 and partSize the object's size). */
  readonly single: boolean;
  readonly partSize: number;
  readonly partCount: number;
  readonly parts: readonly PartRange[];
}

export interface PlanOptions {
  /** Part size to use when it keeps the upload within MAX_PARTS (default 16 MiB, 5 MiB..5 GiB). */
  readonly preferredPartSize?: number;
  /** Files up to this size go in one PUT (default 16 MiB, at most 5 GiB; 0 means always multipart). */
  readonly singlePutThreshold?: number;
}

const ceilToMiB = (n: number) => Math.ceil(n / MiB) * MiB;

/**
 * How to upload an object of `sizeBytes` to S3: a single PUT for small files, otherwise contiguous
 * parts of `partSize` bytes (the last may be smaller), at most MAX_PARTS of them, each within
 * MIN_PART_SIZE..MAX_PART_SIZE. Sizes outside 1..5 TiB are refused with a ValidationError.
 */
export function planParts(sizeBytes: number, options: PlanOptions = {}): PartPlan {
  const preferred = options.preferredPartSize ?? DEFAULT_PART_SIZE;
  const threshold = options.singlePutThreshold ?? DEFAULT_SINGLE_PUT_THRESHOLD;
  if (!Number.isSafeInteger(preferred) || preferred < MIN_PART_SIZE || preferred > MAX_PART_SIZE) {
    throw new RangeError(`preferredPartSize must be an integer in ${MIN_PART_SIZE}..${MAX_PART_SIZE}`);
  }
  if (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > SINGLE_PUT_MAX) {
    throw new RangeError(`singlePutThreshold must be an integer in 0..${SINGLE_PUT_MAX}`);
  }
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 1) {
    throw new ValidationError('文件大小应为正整数字节', [{ path: 'body.sizeBytes', message: '文件不能为空，大小应为正整数字节' }]);
  }
  if (sizeBytes > MAX_OBJECT_SIZE) {
    throw new ValidationError('文件大小超过上限 5 TiB', [{ path: 'body.sizeBytes', message: `文件大小不能超过 ${MAX_OBJECT_SIZE} 字节（5 TiB）` }]);
  }

  if (sizeBytes <= threshold) {
    return { single: true, partSize: sizeBytes, partCount: 1, parts: [{ partNumber: 1, start: 0, end: sizeBytes, size: sizeBytes }] };
  }

  // Grow the part size (to a whole MiB) when the preferred one would need more than MAX_PARTS parts.
  // 5 TiB / 10,000 rounds up to 525 MiB, far below MAX_PART_SIZE.
  const partSize = Math.ceil(sizeBytes / preferred) <= MAX_PARTS ? preferred : ceilToMiB(Math.ceil(sizeBytes / MAX_PARTS));
  const partCount = Math.ceil(sizeBytes / partSize);
  const parts: PartRange[] = [];
  for (let i = 0; i < partCount; i++) {
    const start = i * partSize;
    const end = Math.min(start + partSize, sizeBytes);
    parts.push({ partNumber: i + 1, start, end, size: end - start });
  }
  return { single: false, partSize, partCount, parts };
}

export interface UploadedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/**
 * The part numbers (ascending) a device still has to upload: those of the plan with no uploaded
 * part carrying a non-empty ETag. Part numbers outside the plan are ignored.
 */
export function missingParts(plan: PartPlan, uploaded: readonly UploadedPart[]): number[] {
  const done = new Set(uploaded.filter((p) => p.etag.trim() !== '').map((p) => p.partNumber));
  const out: number[] = [];
  for (let n = 1; n <= plan.partCount; n++) if (!done.has(n)) out.push(n);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The manifest signed at sealing (R4, R7)
// ---------------------------------------------------------------------------------------------

export interface EvidenceManifest {
  readonly evidenceId: string;
  /** 案件编号, derived from the case. */
  readonly caseNo: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly capturedAt: string;
  readonly capturePlace: CapturePlace;
  readonly collectorOfficerId: string;
  /** 证明对象. */
  readonly proves: string;
  readonly mediaType: MediaType;
  readonly sealedAt: string;
}

/**
 * The object to sign: exactly the manifest's fields (anything else in `fields` is dropped), with the
 * hash lower-cased and an absent GPS left out.
 */
export function evidenceManifest(fields: EvidenceManifest): EvidenceManifest {
  const { text, gps: position } = fields.capturePlace;
  const place: CapturePlace =
    position === undefined
      ? { text }
      : {
          text,
          gps:
            position.accuracyMeters === undefined
              ? { lat: position.lat, lon: position.lon }
              : { lat: position.lat, lon: position.lon, accuracyMeters: position.accuracyMeters },
        };
  return {
    evidenceId: fields.evidenceId,
    caseNo: fields.caseNo,
    sha256: fields.sha256.toLowerCase(),
    sizeBytes: fields.sizeBytes,
    capturedAt: fields.capturedAt,
    capturePlace: place,
    collectorOfficerId: fields.collectorOfficerId,
    proves: fields.proves,
    mediaType: fields.mediaType,
    sealedAt: fields.sealedAt,
  };
}

/** The canonical JSON (sorted keys, no whitespace) of the manifest: the exact bytes that are signed. */
export function manifestCanonicalJson(fields: EvidenceManifest): string {
  return canonicalJson(evidenceManifest(fields));
}

// ---------------------------------------------------------------------------------------------
// The evidence record and the other request bodies
// ---------------------------------------------------------------------------------------------

/**
 * UPLOADING: URLs handed out, object not complete. VERIFYING: object complete, hash being checked.
 * SEALED: hash matched, retention set, manifest signed. REJECTED: hash or size did not match; the
 * object is kept for investigation. ABORTED: left unfinished for 24 hours and aborted.
 * INTEGRITY_FAILED: was SEALED, but its stored bytes no longer hash to the sealed SHA-256 (found at a
 * download or by the scheduled re-verification, see evidence-integrity.ts); no link is issued for it.
 */
export const EVIDENCE_STATUSES = ['UPLOADING', 'VERIFYING', 'SEALED', 'REJECTED', 'ABORTED', 'INTEGRITY_FAILED'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** An upload left in UPLOADING this long is aborted and reported. */
export const ABANDON_AFTER_MS = 24 * 60 * 60 * 1000;
/** Presigned upload and download URLs live at most this long. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_TTL_SECONDS = 5 * 60;

export interface ManifestSignature {
  readonly keyId: string;
  /** KMS signing algorithm name; local mode uses the same algorithm with a local key. */
  readonly algorithm: 'ECDSA_SHA_256';
  /** DER-encoded ECDSA signature over the manifest's canonical JSON, base64. */
  readonly value: string;
}

export interface LegalHold {
  readonly on: boolean;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface Evidence {
  readonly id: string;
  readonly caseId: string;
  readonly caseNo: string;
  readonly agencyId: string;
  readonly actId?: string;
  readonly mediaType: MediaType;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly capturedAt: string;
  readonly capturePlace: CapturePlace;
  readonly collectorOfficerId: string;
  readonly collectorName: string;
  readonly proves: string;
  readonly deviceId: string;
  readonly deviceSerial: string;
  /** Object key in the evidence bucket. */
  readonly objectKey: string;
  /** S3 multipart upload id; absent for a single PUT. */
  readonly s3UploadId?: string;
  readonly partSize: number;
  readonly partCount: number;
  readonly status: EvidenceStatus;
  readonly rejectReason?: string;
  /** The S3 object version sealed (absent where the store has no versions, i.e. local mode). */
  readonly objectVersionId?: string;
  /** When the device completed the upload (a single PUT may be sealed by its event even before). */
  readonly completedAt?: string;
  readonly sealedAt?: string;
  readonly retainUntil?: string;
  readonly manifest?: EvidenceManifest;
  readonly signature?: ManifestSignature;
  readonly legalHold?: LegalHold;
  /** The last re-verification of the sealed object and the next one due (issue 10). */
  readonly integrity?: EvidenceIntegrity;
  readonly abortedAt?: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const partNumber = z.int({ message: '分片号应为整数' }).min(1, { message: '分片号从 1 开始' }).max(MAX_PARTS, { message: `分片号不能超过 ${MAX_PARTS}` });

export const completeUploadBody = z.strictObject({
  /** The ETag S3 answered for each part; may be omitted for a single-PUT upload. */
  parts: z
    .array(
      z.strictObject({
        partNumber,
        etag: singleLineText({ min: 1, max: 200, label: 'ETag' }),
      }),
    )
    .max(MAX_PARTS)
    .optional(),
});
export type CompleteUploadBody = z.infer<typeof completeUploadBody>;

export const partsRequestBody = z.strictObject({
  /** Only these parts; by default every part S3 does not hold yet. */
  partNumbers: z.array(partNumber).min(1).max(MAX_PARTS).optional(),
});

export const downloadUrlBody = z.strictObject({
  reason: multiLineText({ min: 2, max: 500, label: '调取原因' }).meta({ description: '调取原因（记入证据保管链）' }),
});

export const legalHoldBody = z.strictObject({
  on: z.boolean({ message: 'on 应为 true（设置）或 false（解除）' }),
  reason: multiLineText({ min: 2, max: 500, label: '原因' }),
});

/** S3 ETags come quoted; compare them without quotes (and case-insensitively, they are hex). */
export const normalEtag = (etag: string): string => etag.replace(/"/g, '').trim().toLowerCase();

/** The object key of an evidence record: ASCII only, so every store and tool handles it alike. */
export const evidenceObjectKey = (caseId: string, evidenceId: string): string => `evidence/${caseId}/${evidenceId}`;

/** The evidence id in an object key, or undefined for keys that are not evidence objects. */
export function evidenceIdOfKey(key: string): string | undefined {
  const m = /^evidence\/[0-9a-f-]{36}\/([0-9a-f-]{36})$/.exec(key);
  return m?.[1];
}

/** The retention date of evidence sealed at `sealedAt`: the same calendar day `years` later (UTC). */
export function retainUntil(sealedAt: Date, years: number): Date {
  const d = new Date(sealedAt.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}
