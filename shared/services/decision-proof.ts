/**
 * The public proof of a decision (issue 12, point 3): the audit events that published, corrected,
 * withdrew or ended the record, each with an inclusion proof (RFC 9162 §2.1.3) against the latest
 * signed checkpoint of its chain.
 *
 * What the public function reads, and only that: the record and its proof references in Disclosures
 * (written in each event's own transaction, see store/disclosures.ts `proofRefWrites`), and the
 * checkpoint and Merkle-node items of the Audit table (store/checkpoints.ts; the function's IAM
 * condition allows those partitions only). Never the events themselves: their bodies are not public,
 * and the proof shows of each only its place, its hash, its action and its time.
 *
 * A withdrawn or expired record keeps its proof: that it was published, corrected and then withdrawn
 * is itself public (its detail answers 410, but the record of what happened to it does not go away).
 */
import { isProofAction, PROOF_ACTIONS } from '../domain/disclosure.ts';
import type { DecisionProof, DecisionProofEvent, ProofRef } from '../domain/disclosure.ts';
import type { Checkpoint } from '../domain/checkpoint.ts';
import { NotFoundError } from '../domain/errors.ts';
import { inclusionProof, leafHash } from '../domain/merkle.ts';
import type { NodeReader } from '../domain/merkle.ts';
import * as disclosures from '../store/disclosures.ts';
import { latestCheckpoint, storedNodes } from '../store/checkpoints.ts';

/** Where checkpoints and nodes come from (the Audit table's checkpoint items; a fake in unit tests). */
export interface CheckpointSource {
  latest(chain: string): Promise<Checkpoint | undefined>;
  nodes(chain: string): NodeReader;
}

const tableSource: CheckpointSource = { latest: latestCheckpoint, nodes: storedNodes };

/** One event's entry: its inclusion in the checkpoint, or null while no checkpoint covers it yet. */
export async function proofOfEvent(ref: ProofRef, checkpoint: Checkpoint | undefined, nodes: NodeReader): Promise<DecisionProofEvent> {
  const covered = checkpoint !== undefined && ref.seq <= checkpoint.treeSize;
  return {
    chain: ref.chain,
    seq: ref.seq,
    leafHash: leafHash(ref.eventHash),
    eventHash: ref.eventHash,
    action: ref.action,
    label: isProofAction(ref.action) ? PROOF_ACTIONS[ref.action] : ref.action,
    at: ref.at,
    // The leaf index is seq − 1: a chain's events are its tree's leaves in order, from 1.
    inclusion: covered ? { treeSize: checkpoint.treeSize, proof: await inclusionProof(nodes, ref.seq - 1, checkpoint.treeSize) } : null,
    checkpoint: checkpoint ?? null,
  };
}

export async function decisionProof(publicId: string, source: CheckpointSource = tableSource): Promise<DecisionProof> {
  const [stored, refs] = await Promise.all([disclosures.getRecord(publicId), disclosures.getProofRefs(publicId)]);
  if (!stored) throw new NotFoundError('未找到该公示决定');
  // One checkpoint per chain for all of its events: every proof is against the same signed root.
  const chains = [...new Set(refs.map((r) => r.chain))];
  const latest = new Map(await Promise.all(chains.map(async (chain) => [chain, await source.latest(chain)] as const)));
  const events = await Promise.all(refs.map((ref) => proofOfEvent(ref, latest.get(ref.chain), source.nodes(ref.chain))));
  return { id: publicId, status: stored.status, events };
}
