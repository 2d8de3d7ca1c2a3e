/**
 * Evidence integrity after sealing (issue 10, point 10; R6, R7): a sealed object is re-hashed (streamed
 * SHA-256) when a download link is asked for (up to a configured size), on request (`verifyHash`) and by
 * the daily job over the sparse queue of checks due (shared/domain/evidence-integrity.ts). A mismatch
 * marks the record INTEGRITY_FAILED, goes on the audit trail and raises an alert. Kept apart from
 * evidence.ts so that the jobs function does not bundle the upload and sealing code (and its signer).
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { sendAlert } from '../aws/alerts.ts';
import type { Alert } from '../aws/alerts.ts';
import { ConflictError, VersionConflictError } from '../domain/errors.ts';
import type { Evidence } from '../domain/evidence.ts';
import { config } from '../domain/config.ts';
import { nextVerificationDue } from '../domain/evidence-integrity.ts';
import type { IntegrityConfig, IntegrityTrigger } from '../domain/evidence-integrity.ts';
import { SYSTEM_ACTOR } from '../domain/identity.ts';
import type { Identity } from '../domain/identity.ts';
import * as store from '../store/evidence.ts';
import { commit } from '../store/transact.ts';
import { commitContext, systemContext } from './context.ts';
import type { ActionContext } from './context.ts';

// S3 is loaded by the first route that reaches the bucket: listing and reading evidence never does (issue 13).
const s3 = () => import('../aws/evidence-bucket.ts');

/** Streams the object through SHA-256: memory stays flat whatever the size. */
export async function hashObject(key: string, versionId?: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    await (await s3()).objectStream(key, versionId),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done();
      },
    }),
  );
  return { sha256: hash.digest('hex'), size };
}

const INTEGRITY_CHECKER: Identity = { ...SYSTEM_ACTOR, sub: 'system:evidence-integrity', name: '证据完整性核验' };

/** The integrity settings, from the validated configuration (shared/domain/config.ts). */
export function integrityConfig(): IntegrityConfig {
  const c = config();
  return {
    verifyOnDownloadMaxBytes: c.EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES,
    intervalDays: c.EVIDENCE_VERIFY_INTERVAL_DAYS,
    maxBytesPerRun: c.EVIDENCE_VERIFY_MAX_BYTES_PER_RUN,
  };
}

export interface IntegrityCheck {
  readonly ok: boolean;
  readonly method: 'sha256' | 'size';
  /** null: not hashed (size only) or the object is gone. */
  readonly actualSha256: string | null;
  /** null: the object is gone. */
  readonly actualSize: number | null;
}

/** Reads the sealed version of the object again: its streamed SHA-256, or only its size when `hash` is false. */
async function checkObject(e: Evidence, hash: boolean): Promise<IntegrityCheck> {
  const method = hash ? 'sha256' : 'size';
  const head = await (await s3()).headObject(e.objectKey, e.objectVersionId);
  if (!head) return { ok: false, method, actualSha256: null, actualSize: null };
  if (!hash) return { ok: head.size === e.sizeBytes, method, actualSha256: null, actualSize: head.size };
  const actual = await hashObject(e.objectKey, e.objectVersionId);
  return { ok: actual.size === e.sizeBytes && actual.sha256 === e.sha256, method, actualSha256: actual.sha256, actualSize: actual.size };
}

const FOUND_BY: Record<IntegrityTrigger, string> = {
  seal: '封存时核验',
  download: '签发下载链接前的核验',
  request: '按请求重新计算哈希',
  schedule: '定期抽检',
};

function integrityAlert(e: Evidence, check: IntegrityCheck, trigger: IntegrityTrigger): Alert {
  const what = check.actualSize === null ? '存储中的文件已不存在' : check.method === 'size' ? `存储中的文件大小（${check.actualSize} 字节）与封存时（${e.sizeBytes} 字节）不符` : '存储中的文件与封存时的 SHA-256 不符';
  return {
    // ASCII subject (SNS); ids only, no names: the record holds the rest.
    subject: `Evidence integrity failure (${e.agencyId}): ${e.id}`,
    text:
      `证据完整性核验失败（${FOUND_BY[trigger]}）：案件 ${e.caseNo} 的证据 ${e.id}（封存于 ${e.sealedAt ?? '—'}）${what}。` +
      '该证据已标记为 INTEGRITY_FAILED，不再签发下载链接。请核查证据存储桶的对象锁定与访问配置，并按证据保管制度调查处理。',
    agencyId: e.agencyId,
    kind: 'evidence-integrity',
  };
}

export const integrityFailed = (e: Evidence): ConflictError =>
  new ConflictError('EVIDENCE_INTEGRITY_FAILED', `证据 ${e.id} 的存储文件与封存时的 SHA-256 不符（完整性核验失败），不能签发下载链接；已通知管理员调查`);

/**
 * Marks sealed evidence INTEGRITY_FAILED (when and how it was found, what the object is now), with its
 * audit event, and raises an alert. `by`: who asked (a download), or null for the system's own check. The alert goes first: should the write fail, a second alert is
 * better than none. Returns the record as it now stands.
 */
export async function markIntegrityFailed(by: ActionContext | null, e: Evidence, check: IntegrityCheck, trigger: IntegrityTrigger, now = new Date()): Promise<Evidence> {
  const ctx = by ?? { ...systemContext(INTEGRITY_CHECKER), now };
  await sendAlert(integrityAlert(e, check, trigger));
  const at = (ctx.now ?? now).toISOString();
  const next: Evidence = {
    ...e,
    status: 'INTEGRITY_FAILED',
    integrity: { result: 'INTEGRITY_FAILED', checkedAt: at, trigger, method: check.method, failedAt: at, actualSha256: check.actualSha256, actualSize: check.actualSize },
    version: e.version + 1,
    updatedAt: at,
  };
  try {
    await commit(commitContext(ctx), [store.putEvidence(next, e.version)], [
      {
        action: 'evidence.integrity.failed',
        entityType: 'Evidence',
        entityId: e.id,
        change: { caseNo: e.caseNo, trigger, method: check.method, sealedSha256: e.sha256, actualSha256: check.actualSha256, sizeBytes: e.sizeBytes, actualSize: check.actualSize },
      },
    ]);
    return next;
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    // Changed meanwhile (a legal hold, another check): mark the fresh record unless it is marked already.
    const fresh = await store.getEvidence(e.id);
    if (fresh?.status === 'SEALED') return markIntegrityFailed(ctx, fresh, check, trigger, now);
    return fresh ?? next;
  }
}

/** True when the object was re-hashed and matched; false when it is above the configured size; throws on a mismatch. */
export async function verifiedForDownload(ctx: ActionContext, e: Evidence): Promise<boolean> {
  if (e.sizeBytes > integrityConfig().verifyOnDownloadMaxBytes) return false;
  const check = await checkObject(e, true);
  if (check.ok) return true;
  await markIntegrityFailed(ctx, e, check, 'download');
  throw integrityFailed(e);
}

export interface IntegrityRun {
  /** Queue entries read (each is one evidence record; the index holds the whole record). */
  readonly itemsRead: number;
  readonly verified: number;
  /** Objects above the per-run byte budget: only their size was compared. */
  readonly sizeOnly: number;
  /** Evidence found altered or missing in this run (marked INTEGRITY_FAILED, alerted). */
  readonly failed: readonly string[];
  /** Records changed by someone else meanwhile: still due, taken next run. */
  readonly skipped: number;
  readonly bytesHashed: number;
  /** Checks still due when the byte budget ran out (taken first next run); 0 when all were done. */
  readonly remainingDue: number;
}

/**
 * The daily re-verification: every sealed object whose check is due by `now`, oldest first, until the
 * per-run byte budget is spent. Each verified object's next check moves on by the interval; a mismatch
 * marks the record INTEGRITY_FAILED and raises an alert. Reads only the due range of the sparse queue.
 */
export async function verifyDueEvidence(now = new Date(), options: { maxBytesPerRun?: number; progress?: (line: string) => void } = {}): Promise<IntegrityRun> {
  const config = integrityConfig();
  const budget = options.maxBytesPerRun ?? config.maxBytesPerRun;
  const ctx: ActionContext = { ...systemContext(INTEGRITY_CHECKER), now };
  let itemsRead = 0;
  let verified = 0;
  let sizeOnly = 0;
  let skipped = 0;
  let bytesHashed = 0;
  let outOfBudget = false;
  const failed: string[] = [];
  for await (const e of store.verificationsDue(now)) {
    itemsRead++;
    // The index is eventually consistent: an entry may lag behind its record.
    if (e.status !== 'SEALED') continue;
    const hash = e.sizeBytes <= budget;
    if (hash && bytesHashed + e.sizeBytes > budget) {
      outOfBudget = true;
      break;
    }
    const check = await checkObject(e, hash);
    if (check.method === 'sha256') bytesHashed += check.actualSize ?? 0;
    else sizeOnly++;
    if (!check.ok) {
      await markIntegrityFailed(ctx, e, check, 'schedule', now);
      failed.push(e.id);
      continue;
    }
    const at = now.toISOString();
    const nextDueAt = nextVerificationDue(now, config.intervalDays);
    const next: Evidence = { ...e, integrity: { result: 'VERIFIED', checkedAt: at, trigger: 'schedule', method: check.method, nextDueAt }, version: e.version + 1, updatedAt: at };
    try {
      await commit(commitContext(ctx), [store.putEvidence(next, e.version)], [
        { action: 'evidence.integrity.verified', entityType: 'Evidence', entityId: e.id, change: { caseNo: e.caseNo, method: check.method, nextDueAt } },
      ]);
      verified++;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      skipped++;
    }
    if (options.progress && (verified + failed.length) % 100 === 0) options.progress(`${verified + failed.length} checked, ${Math.round(bytesHashed / 2 ** 20)} MiB hashed`);
  }
  const remainingDue = outOfBudget ? await store.countVerificationsDue(now) : 0;
  return { itemsRead, verified, sizeOnly, failed, skipped, bytesHashed, remainingDue };
}
