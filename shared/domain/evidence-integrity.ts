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
import * as z from './z.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
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

const positiveInt = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer ${min}..${max}, got ${raw}` });
        return z.NEVER;
      }
      return n;
    });

/** The deployment's settings, from the environment (names below), all optional. */
export const integrityConfigSchema = z.object({
  /** Files up to this size are re-hashed before a download link is issued (0: never). Default 256 MiB. */
  EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES: positiveInt('EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES', 256 * MiB, 0, 5 * GiB),
  /** Days between two scheduled checks of one object. Default 90, at most 91 (a quarter). */
  EVIDENCE_VERIFY_INTERVAL_DAYS: positiveInt('EVIDENCE_VERIFY_INTERVAL_DAYS', 90, 1, MAX_VERIFY_INTERVAL_DAYS),
  /**
   * Bytes the daily job hashes at most per run (the jobs function has 15 minutes; S3 streams about
   * 100 MB/s to one Lambda). Default 40 GiB. What is left stays due and is taken first next run.
   */
  EVIDENCE_VERIFY_MAX_BYTES_PER_RUN: positiveInt('EVIDENCE_VERIFY_MAX_BYTES_PER_RUN', 40 * GiB, MiB, 5 * 1024 * GiB),
});

export interface IntegrityConfig {
  readonly verifyOnDownloadMaxBytes: number;
  readonly intervalDays: number;
  readonly maxBytesPerRun: number;
}

/** Validates the settings; a typo fails at start-up with the variable's name, never as NaN later. */
export function integrityConfigFrom(env: Readonly<Record<string, string | undefined>>): IntegrityConfig {
  const parsed = integrityConfigSchema.safeParse({
    EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES: env.EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES,
    EVIDENCE_VERIFY_INTERVAL_DAYS: env.EVIDENCE_VERIFY_INTERVAL_DAYS,
    EVIDENCE_VERIFY_MAX_BYTES_PER_RUN: env.EVIDENCE_VERIFY_MAX_BYTES_PER_RUN,
  });
  if (!parsed.success) throw new Error(`Invalid evidence integrity settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return {
    verifyOnDownloadMaxBytes: parsed.data.EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES,
    intervalDays: parsed.data.EVIDENCE_VERIFY_INTERVAL_DAYS,
    maxBytesPerRun: parsed.data.EVIDENCE_VERIFY_MAX_BYTES_PER_RUN,
  };
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
