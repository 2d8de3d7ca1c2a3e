/**
 * Evidence integrity checked, not only on request (issue 10, point 10; R6, R7). A sealed object's
 * bytes are hashed again (streamed SHA-256) when a download link is asked for, for files up to a
 * configurable size, and by a daily job that takes what is due on a sparse queue keyed by the next
 * verification date, so that every sealed object is re-hashed at least once a quarter while a run
 * reads only what is due. A mismatch marks the record INTEGRITY_FAILED. Pure: no I/O, no clock.
 *
 * Why a queue of due dates rather than "1/90 of the table per day": the job then never needs to
 * know how large the table is (no Scan, no count), and a backlog (a failed run) is simply taken
 * first on the next run. The first due date after sealing is spread over the interval by the
 * evidence id, so a day on which thousands of files were sealed does not become one heavy day a
 * quarter later.
 */
import { createHash } from 'node:crypto';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What re-hashed the object: sealing, a download link, a `verifyHash` request, or the daily job. */
export type IntegrityTrigger = 'seal' | 'download' | 'request' | 'schedule';

/** The last integrity check of a sealed object, kept in the evidence record. */
export interface EvidenceIntegrity {
  readonly result: 'VERIFIED' | 'INTEGRITY_FAILED';
  readonly checkedAt: string;
  readonly trigger: IntegrityTrigger;
  /**
   * How the last check was made: `sha256` streamed the bytes; `size` only compared the stored size
   * (objects above the per-run byte budget, see `IntegrityConfig.maxBytesPerRun`).
   */
  readonly method: 'sha256' | 'size';
  /** When the daily job checks it next; absent once it failed (a failed object is not re-checked). */
  readonly nextDueAt?: string;
  /** When the mismatch was found. */
  readonly failedAt?: string;
  /** What the stored object hashes to now (null: the object is gone). */
  readonly actualSha256?: string | null;
  readonly actualSize?: number | null;
}

/** A calendar quarter has at most 92 days; a daily run may come up to a day after the due time. */
export const MAX_VERIFY_INTERVAL_DAYS = 91;

/** The deployment's integrity settings, read from the one configuration module (shared/domain/config.ts). */
export interface IntegrityConfig {
  readonly verifyOnDownloadMaxBytes: number;
  readonly intervalDays: number;
  readonly maxBytesPerRun: number;
}

/** A fraction in [0, 1) fixed by the evidence id: where in the interval its checks fall. */
function phaseOf(evidenceId: string): number {
  return createHash('sha256').update(evidenceId, 'utf8').digest().readUInt32BE(0) / 2 ** 32;
}

/** The first scheduled check after sealing: somewhere in (sealedAt, sealedAt + interval], by the id. */
export function firstVerificationDue(sealedAt: Date, evidenceId: string, intervalDays: number): string {
  const offset = Math.max(1, Math.ceil((1 - phaseOf(evidenceId)) * intervalDays * DAY_MS));
  return new Date(sealedAt.getTime() + offset).toISOString();
}

/** The next scheduled check after one made at `checkedAt`. */
export function nextVerificationDue(checkedAt: Date, intervalDays: number): string {
  return new Date(checkedAt.getTime() + intervalDays * DAY_MS).toISOString();
}
