/**
 * Evidence from field devices (R3–R7, N7): start an upload (presigned URLs straight to S3), resume it,
 * complete it, verify and seal it, and every later access on record. Nothing here deletes or
 * overwrites an evidence object: a mismatch is REJECTED and kept for investigation.
 */
import { randomUUID } from 'node:crypto';
import type { StoredPart } from '../aws/evidence-bucket.ts';
import { manifestSigner } from '../aws/signer.ts';
import type { AuditEventInput } from '../domain/audit.ts';
import { dateOfInstant, officerProblem } from '../domain/case.ts';
import type { Device } from '../domain/device.ts';
import { permits } from '../domain/access.ts';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError, ValidationError, VersionConflictError } from '../domain/errors.ts';
import { config } from '../domain/config.ts';
import {
  DOWNLOAD_URL_TTL_SECONDS,
  UPLOAD_URL_TTL_SECONDS,
  evidenceIdOfKey,
  evidenceManifest,
  evidenceObjectKey,
  manifestCanonicalJson,
  missingParts,
  normalEtag,
  planParts,
  retainUntil,
} from '../domain/evidence.ts';
import type { CompleteUploadBody, Evidence, PartPlan, StartUploadBody } from '../domain/evidence.ts';
import { firstVerificationDue } from '../domain/evidence-integrity.ts';
import { SYSTEM_ACTOR } from '../domain/identity.ts';
import type { Identity } from '../domain/identity.ts';
import * as store from '../store/evidence.ts';
import type { Page, PageRequest } from '../store/query.ts';
import { getDeviceByClient, getOfficer } from '../store/registry.ts';
import { commit } from '../store/transact.ts';
import { countBusiness } from '../aws/metrics.ts';
import { requireCase } from './cases.ts';
import { findAct } from './recording.ts';
import { commitContext, systemContext } from './context.ts';
import type { ActionContext } from './context.ts';
import { hashObject, integrityConfig, integrityFailed, markIntegrityFailed, verifiedForDownload } from './evidence-integrity.ts';

// S3 is loaded by the first route that reaches the bucket: listing and reading evidence never does (issue 13).
const s3 = () => import('../aws/evidence-bucket.ts');

/** How long the complete route waits for S3 to assemble the parts before answering 202 anyway (API Gateway allows 29 s). */
export const COMPLETE_WAIT_MS = 20_000;

/** Presigned URLs handed out in one answer; a device asks for the next ones with the parts route. */
export const MAX_URLS_PER_ANSWER = 100;

const nowOf = (ctx: ActionContext) => ctx.now ?? new Date();

/** Years of Object Lock retention for sealed evidence (deployment setting, default 30). */
export function retentionYears(): number {
  return config().EVIDENCE_RETENTION_YEARS;
}

// ---------------------------------------------------------------------------------------------
// Devices

/** The calling device, which must be registered and active (a revoked device is refused). */
export async function requireDevice(identity: Identity): Promise<Device> {
  if (identity.deviceClientId === undefined) throw new ForbiddenError('此接口仅供执法记录设备调用', 'NOT_A_DEVICE');
  const device = await getDeviceByClient(identity.deviceClientId);
  if (!device) throw new ForbiddenError('设备未登记或凭证已失效', 'DEVICE_UNKNOWN');
  if (device.status !== 'ACTIVE') throw new ForbiddenError(`设备 ${device.serial} 已于 ${device.revokedAt ?? ''} 停用，不能再上传证据`, 'DEVICE_REVOKED');
  return device;
}

const deviceContext = (device: Device, requestId: string, now?: Date): ActionContext => ({
  identity: { sub: `device:${device.id}`, name: `设备 ${device.serial}`, groups: [] },
  requestId,
  ...(now ? { now } : {}),
});

// ---------------------------------------------------------------------------------------------
// Start, resume, complete

export interface PartUrl {
  readonly partNumber: number;
  readonly url: string;
  /** Bytes of the file this part carries: [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface UploadTicket {
  readonly uploadId: string;
  readonly evidenceId: string;
  readonly status: Evidence['status'];
  readonly single: boolean;
  readonly partSize: number;
  readonly partCount: number;
  readonly parts: PartUrl[];
  /** Headers the device must send with a single PUT (the signed checksum). */
  readonly headers?: Record<string, string>;
  /** Parts already held by S3 (when resuming). */
  readonly uploaded?: { partNumber: number; etag: string; size: number }[];
  /** Parts still missing beyond the URLs in this answer: ask again with the parts route. */
  readonly remainingParts: number;
  readonly expiresAt: string;
}

const planOf = (e: Evidence): PartPlan => planParts(e.sizeBytes, e.s3UploadId === undefined ? { singlePutThreshold: e.sizeBytes } : { preferredPartSize: e.partSize, singlePutThreshold: 0 });

export async function startUpload(identity: Identity, requestId: string, body: StartUploadBody, now = new Date()): Promise<UploadTicket> {
  const device = await requireDevice(identity);
  const c = await requireCase(body.caseId);
  if (device.agencyId !== c.agencyId) throw new ForbiddenError(`设备 ${device.serial} 不属于本案的执法主体，不能为本案上传证据`, 'CASE_OF_OTHER_AGENCY');
  if (c.status === 'CLOSED') throw new ConflictError('CASE_CLOSED', `案件 ${c.caseNo} 已结案，不能再上传证据`);

  const captureDate = dateOfInstant(body.capturedAt);
  let earliest = c.filingDate;
  if (body.actId !== undefined) {
    const act = await findAct(c.id, body.actId);
    if (!act) throw new NotFoundError(`本案没有执法行为 ${body.actId}`, 'ACT_NOT_FOUND');
    // An inspection may come before the filing (立案前的检查), and its recording with it.
    const actDate = dateOfInstant(act.at);
    if (actDate < earliest) earliest = actDate;
  }
  if (captureDate < earliest) {
    throw new ValidationError(`采集时间 ${captureDate} 早于立案日期 ${c.filingDate}`, [{ path: 'body.capturedAt', message: '采集时间不能早于立案（或所关联的执法行为）' }], 'CAPTURED_BEFORE_FILING');
  }
  const collector = await getOfficer(body.collectorOfficerId, true);
  const problem = officerProblem(collector, body.collectorOfficerId, captureDate, c.category);
  if (problem) throw new BusinessRuleError('COLLECTOR_NOT_QUALIFIED', `采集人须在采集时持有有效执法证件：${problem.message}`, [{ path: 'body.collectorOfficerId', message: problem.message }]);
  if (collector && collector.agencyId !== c.agencyId) {
    throw new BusinessRuleError('COLLECTOR_OF_OTHER_AGENCY', `采集人 ${collector.name} 不属于本案的执法主体`, [{ path: 'body.collectorOfficerId', message: '采集人须为本机构执法人员' }]);
  }

  const plan = planParts(body.sizeBytes);
  const id = randomUUID();
  const objectKey = evidenceObjectKey(c.id, id);
  const contentType = body.contentType ?? 'application/octet-stream';
  // Before the record: an upload id that the record then names. Should the commit fail, the bucket's
  // lifecycle rule removes the unused multipart upload after a day.
  const s3UploadId = plan.single ? undefined : await (await s3()).createMultipartUpload(objectKey, contentType);
  const at = now.toISOString();
  const e: Evidence = {
    id,
    caseId: c.id,
    caseNo: c.caseNo,
    agencyId: c.agencyId,
    ...(body.actId !== undefined ? { actId: body.actId } : {}),
    mediaType: body.mediaType,
    fileName: body.fileName,
    contentType,
    sizeBytes: body.sizeBytes,
    sha256: body.sha256,
    capturedAt: body.capturedAt,
    capturePlace: body.capturePlace,
    collectorOfficerId: body.collectorOfficerId,
    collectorName: collector?.name ?? body.collectorOfficerId,
    proves: body.proves,
    deviceId: device.id,
    deviceSerial: device.serial,
    objectKey,
    ...(s3UploadId !== undefined ? { s3UploadId } : {}),
    partSize: plan.partSize,
    partCount: plan.partCount,
    status: 'UPLOADING',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await commit(commitContext(deviceContext(device, requestId, now)), [store.putEvidence(e, 0)], [
    { action: 'evidence.upload.start', entityType: 'Evidence', entityId: id, change: { caseNo: c.caseNo, actId: body.actId ?? null, mediaType: e.mediaType, sizeBytes: e.sizeBytes, sha256: e.sha256, deviceId: device.id, collectorOfficerId: e.collectorOfficerId } },
  ]);
  return ticket(e, plan, undefined, undefined, now);
}

async function ticket(e: Evidence, plan: PartPlan, wanted: readonly number[] | undefined, uploaded: StoredPart[] | undefined, now: Date): Promise<UploadTicket> {
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
  const base = { uploadId: e.id, evidenceId: e.id, status: e.status, single: plan.single, partSize: plan.partSize, partCount: plan.partCount, expiresAt };
  if (plan.single) {
    if (uploaded !== undefined && uploaded.length > 0) return { ...base, parts: [], uploaded, remainingParts: 0 };
    const { url, headers } = await (await s3()).presignPut(e.objectKey, e.contentType, e.sha256, UPLOAD_URL_TTL_SECONDS);
    return { ...base, parts: [{ partNumber: 1, url, start: 0, end: e.sizeBytes }], headers, remainingParts: 0 };
  }
  const held = (uploaded ?? []).filter((p) => p.size === plan.parts[p.partNumber - 1]?.size);
  let todo = missingParts(plan, held.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  if (wanted !== undefined) todo = todo.filter((n) => wanted.includes(n));
  const batch = todo.slice(0, MAX_URLS_PER_ANSWER);
  const uploadId = e.s3UploadId ?? '';
  const parts = await Promise.all(
    batch.map(async (n) => {
      const range = plan.parts[n - 1]!;
      return { partNumber: n, url: await (await s3()).presignPart(e.objectKey, uploadId, n, UPLOAD_URL_TTL_SECONDS), start: range.start, end: range.end };
    }),
  );
  return { ...base, parts, ...(uploaded !== undefined ? { uploaded: held } : {}), remainingParts: todo.length - parts.length };
}

async function requireOwnUpload(identity: Identity, id: string): Promise<{ device: Device; e: Evidence }> {
  const device = await requireDevice(identity);
  const e = await store.getEvidence(id);
  if (!e) throw new NotFoundError(`上传 ${id} 不存在`, 'UPLOAD_NOT_FOUND');
  if (e.deviceId !== device.id) throw new ForbiddenError('只能继续或完成本设备发起的上传', 'NOT_YOUR_UPLOAD');
  return { device, e };
}

/** The parts S3 holds and fresh URLs for those still missing (a device resuming after a bad network). */
export async function resumeUpload(identity: Identity, id: string, partNumbers: readonly number[] | undefined, now = new Date()): Promise<UploadTicket> {
  const { e } = await requireOwnUpload(identity, id);
  if (e.status !== 'UPLOADING') throw new ConflictError('UPLOAD_NOT_OPEN', `上传已结束（状态 ${e.status}），无需再上传分片`);
  const plan = planOf(e);
  if (partNumbers?.some((n) => n > plan.partCount)) {
    throw new ValidationError(`分片号超出范围：本次上传共 ${plan.partCount} 个分片`, [{ path: 'body.partNumbers', message: `应在 1..${plan.partCount} 之间` }]);
  }
  if (plan.single) {
    const head = await (await s3()).headObject(e.objectKey);
    return ticket(e, plan, undefined, head ? [{ partNumber: 1, etag: head.etag ?? '', size: head.size }] : [], now);
  }
  const stored = await (await s3()).listParts(e.objectKey, e.s3UploadId ?? '');
  if (stored === undefined) throw new ConflictError('UPLOAD_GONE', '存储中的分片上传已不存在（已完成或已中止）');
  return ticket(e, plan, partNumbers, stored, now);
}

/** A device's view of its upload. */
export async function uploadStatus(identity: Identity, id: string): Promise<Evidence> {
  return (await requireOwnUpload(identity, id)).e;
}

/**
 * Completes the upload: checks the device's ETags against the parts S3 holds, has S3 assemble the
 * object, and marks the record VERIFYING. The object-created event then verifies and seals it
 * (`verifyAndSeal`). Completing twice answers the record as it stands.
 */
export async function completeUpload(identity: Identity, requestId: string, id: string, body: CompleteUploadBody, now = new Date()): Promise<Evidence> {
  const { device, e } = await requireOwnUpload(identity, id);
  if (e.status === 'ABORTED') throw new ConflictError('UPLOAD_ABORTED', `上传已于 ${e.abortedAt ?? ''} 因超过 24 小时未完成而中止，请重新发起上传`);
  if (e.status !== 'UPLOADING') {
    // A single PUT's object-created event may have sealed it before the device got here: the
    // device's completion still goes on record, once.
    return e.completedAt === undefined ? recordCompletion(device, requestId, e, now) : e;
  }
  const plan = planOf(e);

  if (e.s3UploadId !== undefined) {
    if (!body.parts || body.parts.length === 0) {
      throw new ValidationError('分片上传须提交每个分片的 ETag', [{ path: 'body.parts', message: '不能为空' }]);
    }
    const stored = await (await s3()).listParts(e.objectKey, e.s3UploadId);
    if (stored === undefined) {
      // Assembled by an earlier attempt whose answer was lost: carry on from the object.
      if (!(await (await s3()).headObject(e.objectKey))) throw new ConflictError('UPLOAD_GONE', '存储中的分片上传已不存在');
    } else {
      const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
      const missing = plan.parts.filter((p) => byNumber.get(p.partNumber)?.size !== p.size).map((p) => p.partNumber);
      if (missing.length > 0) {
        throw new ConflictError('PARTS_MISSING', `还有 ${missing.length} 个分片未上传或大小不符，请继续上传后再完成`, [
          { path: 'parts', message: `缺少分片：${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ' …' : ''}`, missing: missing.slice(0, 1000) },
        ]);
      }
      const given = new Map(body.parts.map((p) => [p.partNumber, normalEtag(p.etag)]));
      const wrong = plan.parts
        .map((p) => p.partNumber)
        .filter((n) => given.get(n) !== normalEtag(byNumber.get(n)!.etag));
      const extra = [...given.keys()].filter((n) => n > plan.partCount);
      if (wrong.length > 0 || extra.length > 0 || given.size !== body.parts.length) {
        throw new ValidationError('提交的 ETag 与存储中的分片不符，未完成上传（已上传的分片仍保留）', [
          ...wrong.slice(0, 20).map((n) => ({ path: `body.parts[${n}]`, message: given.has(n) ? `分片 ${n} 的 ETag 不符` : `缺少分片 ${n} 的 ETag` })),
          ...extra.slice(0, 20).map((n) => ({ path: `body.parts[${n}]`, message: `本次上传没有分片 ${n}` })),
          ...(given.size !== body.parts.length ? [{ path: 'body.parts', message: '分片号重复' }] : []),
        ], 'ETAG_MISMATCH');
      }
      const assembling = (await s3()).completeMultipartUpload(e.objectKey, e.s3UploadId, plan.parts.map((p) => ({ partNumber: p.partNumber, etag: byNumber.get(p.partNumber)!.etag })));
      // S3 may take long to assemble a very large object (s3rver copies it); the request keeps going
      // after we answer, and its object-created event does the rest. An upload whose assembly never
      // produced an object is found by the 24-hour job.
      const finished = await Promise.race([assembling.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), COMPLETE_WAIT_MS).unref())]);
      if (!finished) assembling.catch(() => undefined);
    }
  } else if (!(await (await s3()).headObject(e.objectKey))) {
    throw new ConflictError('OBJECT_NOT_UPLOADED', '文件尚未上传：请先用上传地址 PUT 文件，再完成上传');
  }

  return recordCompletion(device, requestId, e, now);
}

async function recordCompletion(device: Device, requestId: string, e: Evidence, now: Date): Promise<Evidence> {
  const next: Evidence = { ...e, ...(e.status === 'UPLOADING' ? { status: 'VERIFYING' as const } : {}), completedAt: now.toISOString(), version: e.version + 1, updatedAt: now.toISOString() };
  try {
    await commit(commitContext(deviceContext(device, requestId, now)), [store.putEvidence(next, e.version)], [
      { action: 'evidence.upload.complete', entityType: 'Evidence', entityId: e.id, change: { partCount: e.partCount, sizeBytes: e.sizeBytes } },
    ]);
    return next;
  } catch (error) {
    // The object-created event changed it meanwhile (verified it): record the completion on the fresh record.
    if (error instanceof VersionConflictError) {
      const fresh = await store.getEvidence(e.id);
      if (fresh && fresh.completedAt === undefined) return recordCompletion(device, requestId, fresh, now);
      return fresh ?? next;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Verify and seal (driven by S3 object-created events, in AWS and locally)

const SEALER: Identity = { ...SYSTEM_ACTOR, sub: 'system:evidence-seal', name: '证据封存' };

export { hashObject };

export type SealOutcome = 'SEALED' | 'REJECTED' | 'IGNORED';

/** Verifies the object of an evidence upload and seals or rejects it. Safe to run twice. */
export async function verifyAndSeal(objectKey: string, now = () => new Date()): Promise<{ outcome: SealOutcome; evidenceId?: string }> {
  const id = evidenceIdOfKey(objectKey);
  if (id === undefined) return { outcome: 'IGNORED' };
  const e = await store.getEvidence(id);
  if (!e || e.objectKey !== objectKey || (e.status !== 'UPLOADING' && e.status !== 'VERIFYING')) return { outcome: 'IGNORED', evidenceId: id };
  const head = await (await s3()).headObject(objectKey);
  if (!head) return { outcome: 'IGNORED', evidenceId: id };

  const actual = await hashObject(objectKey, head.versionId);
  const ctx = commitContext(systemContext(SEALER));
  const at = now();
  let next: Evidence;
  let event: AuditEventInput;
  if (actual.size !== e.sizeBytes || actual.sha256 !== e.sha256) {
    const reason =
      actual.size !== e.sizeBytes
        ? `文件大小 ${actual.size} 字节与申报的 ${e.sizeBytes} 字节不符`
        : `文件的 SHA-256（${actual.sha256}）与申报的（${e.sha256}）不符`;
    // Kept, never deleted: a mismatch is itself something to investigate.
    next = { ...e, status: 'REJECTED', rejectReason: reason, ...(head.versionId ? { objectVersionId: head.versionId } : {}), version: e.version + 1, updatedAt: at.toISOString() };
    event = { action: 'evidence.reject', entityType: 'Evidence', entityId: e.id, change: { reason, actualSha256: actual.sha256, actualSize: actual.size } };
  } else {
    const until = retainUntil(at, retentionYears());
    await (await s3()).putComplianceRetention(objectKey, head.versionId, until);
    const sealedAt = at.toISOString();
    const manifest = evidenceManifest({ ...e, evidenceId: e.id, sealedAt });
    const signature = await manifestSigner().sign(manifestCanonicalJson(manifest));
    next = {
      ...e,
      status: 'SEALED',
      ...(head.versionId ? { objectVersionId: head.versionId } : {}),
      sealedAt,
      retainUntil: until.toISOString(),
      manifest,
      signature,
      // Sealing hashed it: the first scheduled re-verification falls within the interval (issue 10).
      integrity: { result: 'VERIFIED', checkedAt: sealedAt, trigger: 'seal', method: 'sha256', nextDueAt: firstVerificationDue(at, e.id, integrityConfig().intervalDays) },
      version: e.version + 1,
      updatedAt: sealedAt,
    };
    event = { action: 'evidence.seal', entityType: 'Evidence', entityId: e.id, change: { caseNo: e.caseNo, sha256: e.sha256, sizeBytes: e.sizeBytes, retainUntil: next.retainUntil, keyId: signature.keyId, objectVersionId: head.versionId ?? null } };
  }
  try {
    await commit(ctx, [store.putEvidence(next, e.version)], [event]);
  } catch (error) {
    // The complete route moved it to VERIFYING meanwhile: verify again from the fresh record.
    if (error instanceof VersionConflictError) return verifyAndSeal(objectKey, now);
    throw error;
  }
  countBusiness(next.status === 'SEALED' ? 'EvidenceSealed' : 'EvidenceRejected', e.agencyId);
  return { outcome: next.status === 'SEALED' ? 'SEALED' : 'REJECTED', evidenceId: id };
}

/**
 * Uploads not sealed 24 hours after they started: one whose object exists (its event was lost, or its
 * assembly outlasted the complete call) is verified now; otherwise a multipart upload is aborted (its
 * parts never became an object, so no evidence is touched) and the record marked ABORTED. Reads only
 * the sparse queue of what is due.
 */
export async function abortAbandonedUploads(now = new Date()): Promise<{ aborted: Evidence[]; verified: string[] }> {
  const aborted: Evidence[] = [];
  const verified: string[] = [];
  for (const e of await store.abandonedUploads(now)) {
    if (await (await s3()).headObject(e.objectKey)) {
      await verifyAndSeal(e.objectKey, () => now);
      verified.push(e.id);
      continue;
    }
    if (e.s3UploadId !== undefined) await (await s3()).abortMultipartUpload(e.objectKey, e.s3UploadId);
    const next: Evidence = { ...e, status: 'ABORTED', abortedAt: now.toISOString(), version: e.version + 1, updatedAt: now.toISOString() };
    try {
      await commit(commitContext(systemContext(SEALER)), [store.putEvidence(next, e.version)], [
        { action: 'evidence.upload.abort', entityType: 'Evidence', entityId: e.id, change: { caseNo: e.caseNo, deviceId: e.deviceId, reason: '超过 24 小时未完成上传' } },
      ]);
      aborted.push(next);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  return { aborted, verified };
}

// ---------------------------------------------------------------------------------------------
// Reading and access

export async function listEvidence(caseId: string, page: PageRequest): Promise<Page<Evidence>> {
  return store.listCaseEvidence(caseId, page);
}

export async function requireEvidence(id: string): Promise<Evidence> {
  const e = await store.getEvidence(id);
  if (!e) throw new NotFoundError(`证据 ${id} 不存在`, 'EVIDENCE_NOT_FOUND');
  return e;
}

export interface EvidenceVerification {
  /** The manifest's signature checks against the signing key; null when not sealed. */
  readonly signatureValid: boolean | null;
  /** The signed manifest says what the record says. */
  readonly manifestMatchesRecord: boolean | null;
  readonly objectPresent: boolean;
  readonly objectSizeMatches: boolean | null;
  /** Only when asked (`verifyHash=true`): the object's bytes re-hashed now. */
  readonly hashMatches?: boolean;
  readonly checkedAt: string;
}

export async function verification(e: Evidence, rehash: boolean, now = new Date()): Promise<EvidenceVerification> {
  const head = e.status === 'UPLOADING' || e.status === 'ABORTED' ? undefined : await (await s3()).headObject(e.objectKey, e.objectVersionId);
  let signatureValid: boolean | null = null;
  let manifestMatchesRecord: boolean | null = null;
  if ((e.status === 'SEALED' || e.status === 'INTEGRITY_FAILED') && e.manifest && e.signature) {
    signatureValid = await manifestSigner().verify(manifestCanonicalJson(e.manifest), e.signature);
    manifestMatchesRecord = manifestCanonicalJson(e.manifest) === manifestCanonicalJson({ ...e, evidenceId: e.id, sealedAt: e.sealedAt ?? '' });
  }
  const out: EvidenceVerification = {
    signatureValid,
    manifestMatchesRecord,
    objectPresent: head !== undefined,
    objectSizeMatches: head ? head.size === e.sizeBytes : null,
    checkedAt: now.toISOString(),
  };
  if (rehash && head) {
    const actual = await hashObject(e.objectKey, e.objectVersionId);
    const hashMatches = actual.sha256 === e.sha256 && actual.size === e.sizeBytes;
    // A mismatch found on request is a mismatch: marked and alerted like any other (issue 10).
    if (!hashMatches && e.status === 'SEALED') {
      await markIntegrityFailed(null, e, { ok: false, method: 'sha256', actualSha256: actual.sha256, actualSize: actual.size }, 'request', now);
    }
    return { ...out, hashMatches };
  }
  return out;
}

/** A short-lived download link; the access goes on the chain of custody (who, when, why). */
export async function downloadUrl(ctx: ActionContext, e: Evidence, reason: string): Promise<{ url: string; expiresAt: string; fileName: string }> {
  if (e.status === 'INTEGRITY_FAILED') throw integrityFailed(e);
  if (e.status === 'REJECTED' && !permits(ctx.identity, 'evidence.read-rejected', { agencies: [e.agencyId] })) {
    throw new ForbiddenError('被拒收的文件仅供法制机构调查，须由管理员调取', 'REJECTED_EVIDENCE');
  }
  if (e.status !== 'SEALED' && e.status !== 'REJECTED') throw new ConflictError('NOT_SEALED', `证据尚未封存（状态 ${e.status}），不能调取`);
  // Never hand out bytes that are not the sealed ones (issue 10): re-hashed first, up to the configured size.
  const hashVerified = e.status === 'SEALED' && (await verifiedForDownload(ctx, e));
  const url = await (await s3()).presignGet(e.objectKey, e.objectVersionId, e.fileName, DOWNLOAD_URL_TTL_SECONDS);
  // The event first: no link is handed out without its record.
  await commit(commitContext(ctx), [], [
    { action: 'evidence.access', entityType: 'Evidence', entityId: e.id, change: { caseNo: e.caseNo, reason, officerId: ctx.identity.officerId ?? null, expiresInSeconds: DOWNLOAD_URL_TTL_SECONDS, hashVerified } },
  ]);
  return { url, expiresAt: new Date(nowOf(ctx).getTime() + DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString(), fileName: e.fileName };
}

export async function setLegalHold(ctx: ActionContext, e: Evidence, on: boolean, reason: string): Promise<Evidence> {
  // A tampered object is exactly what may need preserving (INTEGRITY_FAILED keeps its legal hold).
  if (e.status !== 'SEALED' && e.status !== 'REJECTED' && e.status !== 'INTEGRITY_FAILED') throw new ConflictError('NOT_SEALED', `证据尚未封存（状态 ${e.status}），不能设置法律保全`);
  if ((e.legalHold?.on ?? false) === on) throw new ConflictError('NO_CHANGE', on ? '该证据已处于法律保全' : '该证据未设置法律保全');
  await (await s3()).putLegalHold(e.objectKey, e.objectVersionId, on);
  const at = nowOf(ctx).toISOString();
  const next: Evidence = { ...e, legalHold: { on, reason, by: ctx.identity.name, at }, version: e.version + 1, updatedAt: at };
  await commit(commitContext(ctx), [store.putEvidence(next, e.version)], [
    { action: on ? 'evidence.legal-hold.set' : 'evidence.legal-hold.lift', entityType: 'Evidence', entityId: e.id, change: { caseNo: e.caseNo, reason } },
  ]);
  return next;
}
