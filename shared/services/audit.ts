/**
 * Verify every audit chain (used by the CLI and the admin route): per chain, seq contiguous from 1,
 * each prevHash linking to the previous event, each hash recomputed from the whole stored item, and
 * the head matching the last event. Each chain is read from its first event up to the head read at
 * the start (events appended meanwhile belong to the next verification), so the cost is the events
 * stored, one Query page at a time, and memory stays flat.
 */
import { ChainVerifier } from '../domain/audit.ts';
import type { ChainBreak } from '../domain/audit.ts';
import { AUDIT_CHAINS, LEGACY_CHAIN } from '../domain/audit.ts';
import { chainHasEvents, chainItems, readChainHeads } from '../store/audit.ts';

export interface ChainReport {
  readonly chain: string;
  readonly ok: boolean;
  readonly checked: number;
  readonly headSeq: number;
  readonly firstBreak: ChainBreak | null;
}

export interface VerifyReport {
  readonly ok: boolean;
  /** Events checked over all chains. */
  readonly checked: number;
  /** Events the heads account for, over all chains (equal to `checked` when intact). */
  readonly headSeq: number;
  /** The first bad position (chain + seq) of the first broken chain, in chain order. */
  readonly firstBreak: ChainBreak | null;
  /** Every chain that holds events (`s00`…`s15`, and `main` if present), in order. */
  readonly chains: readonly ChainReport[];
  readonly verifiedAt: string;
}

/** A chain without a head item has no events unless the head was removed: then its events are all read. */
const NO_HEAD_READ_TO = 1e12 - 1;

async function verifyChain(chain: string, head: { seq: number; hash: string } | undefined, onEvent: () => void): Promise<ChainReport> {
  const verifier = new ChainVerifier(chain);
  for await (const item of chainItems(chain, 1, head?.seq ?? NO_HEAD_READ_TO)) {
    if (!verifier.push(item)) break;
    onEvent();
  }
  const firstBreak = verifier.finish(head) ?? null;
  return { chain, ok: firstBreak === null, checked: verifier.checked, headSeq: head?.seq ?? 0, firstBreak };
}

/**
 * The chains to verify: those with a head (one batch read of the 17 head items), and any without a
 * head that still holds events (its head removed: one item read per such chain).
 */
async function chainsToVerify(): Promise<{ chain: string; head: { seq: number; hash: string } | undefined }[]> {
  const all = [...AUDIT_CHAINS, LEGACY_CHAIN];
  const heads = await readChainHeads(all);
  const found = await Promise.all(
    all.map(async (chain) => {
      const head = heads.get(chain)!;
      if (head.seq > 0) return { chain, head };
      return (await chainHasEvents(chain)) ? { chain, head: undefined } : undefined;
    }),
  );
  return found.filter((c) => c !== undefined);
}

export async function verifyAuditChain(onProgress?: (checked: number) => void): Promise<VerifyReport> {
  const toVerify = await chainsToVerify();
  let checked = 0;
  const onEvent = (): void => {
    checked += 1;
    if (onProgress && checked % 1000 === 0) onProgress(checked);
  };
  const chains: ChainReport[] = [];
  // One chain after another: the order of the report, and one Query in flight.
  for (const { chain, head } of toVerify) chains.push(await verifyChain(chain, head, onEvent));
  const firstBreak = chains.find((c) => c.firstBreak)?.firstBreak ?? null;
  return {
    ok: firstBreak === null,
    checked: chains.reduce((n, c) => n + c.checked, 0),
    headSeq: chains.reduce((n, c) => n + c.headSeq, 0),
    firstBreak,
    chains,
    verifiedAt: new Date().toISOString(),
  };
}
