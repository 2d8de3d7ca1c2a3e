/** Recompute the audit hash chain and name the first broken or missing link (used by the CLI and the admin route). */
import { ChainVerifier } from '../domain/audit.ts';
import type { ChainBreak } from '../domain/audit.ts';
import { eventsInOrder, readHead } from '../store/audit.ts';

export interface VerifyReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly headSeq: number;
  readonly firstBreak: ChainBreak | null;
  readonly verifiedAt: string;
}

export async function verifyAuditChain(onProgress?: (checked: number) => void): Promise<VerifyReport> {
  const head = await readHead();
  const verifier = new ChainVerifier();
  for await (const event of eventsInOrder()) {
    // Events appended after the head was read belong to the next verification.
    if (head && event.seq > head.seq) break;
    if (!verifier.push(event)) break;
    if (onProgress && verifier.checked % 1000 === 0) onProgress(verifier.checked);
  }
  const firstBreak = verifier.finish(head) ?? null;
  return { ok: firstBreak === null, checked: verifier.checked, headSeq: head?.seq ?? 0, firstBreak, verifiedAt: new Date().toISOString() };
}
