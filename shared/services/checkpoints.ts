/**
 * Signed Merkle checkpoints of the audit chains (issue 12, points 2–5).
 *
 * The job (`runCheckpoints`: the hourly `audit-checkpoint` schedule, `npm run job -- audit-checkpoint`,
 * `POST /audit/checkpoints`) extends each chain's tree from its stored frontier with the events appended
 * since, so its cost follows the new events, never the log: per chain one frontier read, the new events
 * (a Query from the frontier's size), two node puts per event at most, one transaction. Before an event
 * becomes a leaf its seq, its link to the previous event and its hash are checked, so a checkpoint never
 * signs a chain that is already broken. A chain without new events gets no checkpoint.
 *
 * `verifyCheckpoints` (for `npm run audit:verify`, operators with table and bucket access) checks the
 * table's checkpoints against their locked copies and signatures, their links, the frontier, and
 * recomputes every tree from the events to compare with the signed roots: editing, removing or swapping
 * a covered event, or replacing a checkpoint item, is found.
 */
import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, hashEvent, hashLegacyEvent, LEGACY_CHAIN } from '../domain/audit.ts';
import type { AuditEvent, ChainHead } from '../domain/audit.ts';
import {
  CHECKPOINT_ALGORITHM,
  CHECKPOINT_CHAINS,
  checkpointDocument,
  checkpointHash,
  checkpointMessage,
  signedCheckpoint,
  verifyCheckpointSignature,
} from '../domain/checkpoint.ts';
import type { Checkpoint, UnsignedCheckpoint } from '../domain/checkpoint.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { appendToFrontier, consistencyProof, EMPTY_FRONTIER, frontierRoot, leafHash } from '../domain/merkle.ts';
import type { Frontier, NodeReader, TreeNode } from '../domain/merkle.ts';
import { getCheckpointObject, putCheckpointObject } from '../aws/checkpoints-bucket.ts';
import { manifestSigner } from '../aws/signer.ts';
import type { ManifestSigner } from '../aws/signer.ts';
import { chainItems, eventsOfChain, existingChains } from '../store/audit.ts';
import { auditEventFromItem } from '../store/audit-keys.ts';
import {
  allCheckpoints,
  CheckpointRaceError,
  commitCheckpoint,
  getCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  putNodes,
  readFrontier,
  storedNodes,
} from '../store/checkpoints.ts';
import type { StoredFrontier } from '../store/checkpoints.ts';
import type { Page, PageRequest } from '../store/query.ts';

/** What signs checkpoints: the evidence manifests' signer (KMS in AWS, the key file locally). */
export type CheckpointSigner = Pick<ManifestSigner, 'sign' | 'publicKey'>;

/** Events read per Query while extending a tree. */
const PAGE = 1000;
/**
 * Events one run adds to one chain at most (about two minutes of node writes): a backlog is caught up
 * over several runs, each ending in a checkpoint, so a run always fits in the function's timeout.
 */
export const MAX_EVENTS_PER_CHAIN_RUN = 50_000;

// ---------------------------------------------------------------------------------------------
// Pure core (unit-tested)

/** A chain's tree between checkpoints: the frontier and the hash of its last event. */
export interface TreeState {
  readonly frontier: Frontier;
  readonly lastEventHash: string;
}

export const EMPTY_TREE: TreeState = { frontier: EMPTY_FRONTIER, lastEventHash: GENESIS_HASH };

export class ChainBrokenError extends Error {
  constructor(
    readonly chain: string,
    readonly seq: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChainBrokenError';
  }
}

/** Whether an event's stored fields still give its hash (legacy `main` events: the fixed fields). */
function eventIntact(chain: string, event: AuditEvent): boolean {
  const record = event as unknown as Record<string, unknown>;
  return (chain === LEGACY_CHAIN ? hashLegacyEvent(record) : hashEvent(record)) === event.hash;
}

/**
 * Appends events (in seq order, continuing the state) as leaves `leafHash(event.hash)`. Throws
 * ChainBrokenError at the first event that is out of sequence, does not link to the one before, or
 * whose hash does not match its content.
 */
export function extendTree(chain: string, state: TreeState, events: readonly AuditEvent[]): TreeState & { completed: TreeNode[] } {
  let expected = state.frontier.size + 1;
  let previous = state.lastEventHash;
  for (const e of events) {
    if (e.seq !== expected) throw new ChainBrokenError(chain, expected, `审计链 ${chain} 第 ${expected} 号事件缺失（读到第 ${e.seq} 号）`);
    if (e.prevHash !== previous) throw new ChainBrokenError(chain, expected, `审计链 ${chain} 第 ${expected} 号事件与前一事件的哈希链接不符`);
    if (!eventIntact(chain, e)) throw new ChainBrokenError(chain, expected, `审计链 ${chain} 第 ${expected} 号事件内容与其哈希不符`);
    previous = e.hash;
    expected += 1;
  }
  const { frontier, completed } = appendToFrontier(state.frontier, events.map((e) => leafHash(e.hash)));
  return { frontier, lastEventHash: previous, completed };
}

/** Signs the checkpoint of a tree; the signer's key id goes into the signed body. */
export async function signCheckpoint(
  signer: CheckpointSigner,
  body: Omit<UnsignedCheckpoint, 'keyId'>,
): Promise<Checkpoint> {
  const { keyId } = await signer.publicKey();
  const unsigned: UnsignedCheckpoint = { ...body, keyId };
  const signature = await signer.sign(checkpointMessage(unsigned));
  if (signature.keyId !== keyId || signature.algorithm !== 'ECDSA_SHA_256') {
    throw new Error(`The signer answered key ${signature.keyId} (${signature.algorithm}), not ${keyId}`);
  }
  return { ...unsigned, signature: signature.value };
}

/** The public key as published: PEM (SPKI) and JWK, with the id checkpoints carry. */
export function publishedKey(keyId: string, key: KeyObject): { keyId: string; algorithm: typeof CHECKPOINT_ALGORITHM; pem: string; jwk: Record<string, unknown> } {
  return {
    keyId,
    algorithm: CHECKPOINT_ALGORITHM,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    jwk: { ...(key.export({ format: 'jwk' }) as Record<string, unknown>), alg: 'ES256', use: 'sig', kid: keyId },
  };
}

/** A consistency proof between two checkpoints of a chain, from the stored perfect subtrees. */
export async function consistencyBetween(reader: NodeReader, older: Checkpoint, newer: Checkpoint): Promise<ConsistencyAnswer> {
  if (older.treeSize > newer.treeSize) {
    throw new ValidationError(`起点 ${older.treeSize} 大于终点 ${newer.treeSize}`, [{ path: 'query.from', message: '不能大于路径中的 size' }], 'INVALID_RANGE');
  }
  const proof = older.treeSize === newer.treeSize ? [] : await consistencyProof(reader, older.treeSize, newer.treeSize);
  return { chain: newer.chain, from: older.treeSize, to: newer.treeSize, fromRoot: older.rootHash, toRoot: newer.rootHash, proof };
}

export interface ConsistencyAnswer {
  readonly chain: string;
  readonly from: number;
  readonly to: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: string[];
}

// ---------------------------------------------------------------------------------------------
// The job

export type ChainRunStatus = 'CHECKPOINTED' | 'UNCHANGED' | 'RACED' | 'BROKEN';

export interface ChainRun {
  readonly chain: string;
  readonly status: ChainRunStatus;
  /** The chain's tree size after the run (the latest checkpoint's). */
  readonly treeSize: number;
  readonly previousSize: number;
  readonly eventsRead: number;
  readonly nodesWritten: number;
  readonly rootHash?: string;
  /** BROKEN: what is wrong and where (zh-CN). */
  readonly message?: string;
  readonly seq?: number;
}

export interface CheckpointRun {
  readonly created: number;
  readonly eventsRead: number;
  readonly nodesWritten: number;
  readonly broken: number;
  readonly chains: readonly ChainRun[];
}

export interface RunOptions {
  readonly now?: Date;
  readonly signer?: CheckpointSigner;
  /** Only these chains (default: every chain holding events). */
  readonly chains?: readonly string[];
  readonly maxEventsPerChain?: number;
  readonly progress?: (line: string) => void;
}

/** Builds, signs and stores a checkpoint for every chain with events since its last one. */
export async function runCheckpoints(options: RunOptions = {}): Promise<CheckpointRun> {
  const signer = options.signer ?? manifestSigner();
  // One batch read of the 17 heads: the chains that hold events.
  let heads = await existingChains();
  if (options.chains) heads = heads.filter((h) => options.chains!.includes(h.chain));
  const chains: ChainRun[] = [];
  // One chain at a time: the node writes of one chain already run in parallel.
  for (const head of heads) {
    const run = await checkpointChain(head, signer, options);
    if (run.status !== 'UNCHANGED') options.progress?.(`${run.chain}: ${run.status} ${run.previousSize} → ${run.treeSize}`);
    chains.push(run);
  }
  return {
    created: chains.filter((c) => c.status === 'CHECKPOINTED').length,
    eventsRead: chains.reduce((n, c) => n + c.eventsRead, 0),
    nodesWritten: chains.reduce((n, c) => n + c.nodesWritten, 0),
    broken: chains.filter((c) => c.status === 'BROKEN').length,
    chains,
  };
}

async function checkpointChain(head: ChainHead, signer: CheckpointSigner, options: RunOptions): Promise<ChainRun> {
  const chain = head.chain;
  const stored = await readFrontier(chain);
  const previousSize = stored?.size ?? 0;
  const base = { chain, previousSize, treeSize: previousSize, eventsRead: 0, nodesWritten: 0 };
  if (head.seq === previousSize) {
    if (stored) await ensureLockedCopy(chain, stored);
    return { ...base, status: 'UNCHANGED', rootHash: stored?.rootHash ?? '' };
  }
  if (head.seq < previousSize) {
    return { ...base, status: 'BROKEN', seq: head.seq, message: `审计链 ${chain} 的链头（第 ${head.seq} 号）落后于已签名的检查点（${previousSize} 条）：事件被截断或链头被回退` };
  }

  let state: TreeState = stored ? { frontier: { size: stored.size, nodes: stored.nodes }, lastEventHash: stored.lastEventHash } : EMPTY_TREE;
  const target = Math.min(head.seq, previousSize + (options.maxEventsPerChain ?? MAX_EVENTS_PER_CHAIN_RUN));
  let eventsRead = 0;
  let nodesWritten = 0;
  try {
    while (state.frontier.size < target) {
      const events = await eventsOfChain(chain, state.frontier.size + 1, Math.min(PAGE, target - state.frontier.size));
      if (events.length === 0) throw new ChainBrokenError(chain, state.frontier.size + 1, `审计链 ${chain} 第 ${state.frontier.size + 1} 号事件缺失（链头为第 ${head.seq} 号）`);
      eventsRead += events.length;
      const extended = extendTree(chain, state, events);
      await putNodes(chain, extended.completed);
      nodesWritten += extended.completed.length;
      state = { frontier: extended.frontier, lastEventHash: extended.lastEventHash };
    }
  } catch (error) {
    if (!(error instanceof ChainBrokenError)) throw error;
    return { ...base, eventsRead, nodesWritten, status: 'BROKEN', seq: error.seq, message: error.message };
  }

  const rootHash = frontierRoot(state.frontier);
  const checkpoint = await signCheckpoint(signer, {
    chain,
    treeSize: state.frontier.size,
    rootHash,
    timestamp: (options.now ?? new Date()).toISOString(),
    previousHash: stored?.checkpointHash ?? null,
  });
  const frontier: StoredFrontier = { ...state.frontier, lastEventHash: state.lastEventHash, checkpointHash: checkpointHash(checkpoint), rootHash };
  try {
    await commitCheckpoint(checkpoint, frontier, previousSize);
  } catch (error) {
    if (!(error instanceof CheckpointRaceError)) throw error;
    return { ...base, eventsRead, nodesWritten, status: 'RACED' };
  }
  // After the commit decided the one checkpoint of this size; a crash before this line is repaired by
  // the next run (ensureLockedCopy).
  await putCheckpointObject(chain, checkpoint.treeSize, checkpointDocument(checkpoint));
  return { ...base, eventsRead, nodesWritten, status: 'CHECKPOINTED', treeSize: checkpoint.treeSize, rootHash };
}

/** Writes the locked copy of a chain's latest checkpoint if a run stopped between commit and copy. */
async function ensureLockedCopy(chain: string, frontier: StoredFrontier): Promise<void> {
  if ((await getCheckpointObject(chain, frontier.size)) !== undefined) return;
  const checkpoint = await getCheckpoint(chain, frontier.size);
  // Only the checkpoint the frontier names, never an item that was replaced since.
  if (checkpoint && checkpointHash(checkpoint) === frontier.checkpointHash) {
    await putCheckpointObject(chain, checkpoint.treeSize, checkpointDocument(checkpoint));
  }
}

// ---------------------------------------------------------------------------------------------
// Public reads

export async function checkpointPublicKey(): Promise<ReturnType<typeof publishedKey>> {
  const { keyId, key } = await manifestSigner().publicKey();
  return publishedKey(keyId, key);
}

/** The chain, or 400/404 UNKNOWN_CHAIN. */
export function knownChain(chain: string, where: 'query' | 'path'): string {
  if (CHECKPOINT_CHAINS.includes(chain)) return chain;
  const message = `未知的审计链 ${chain}：应为 ${CHECKPOINT_CHAINS[0]}…${CHECKPOINT_CHAINS[CHECKPOINT_CHAINS.length - 2]} 或 ${LEGACY_CHAIN}`;
  if (where === 'path') throw new NotFoundError(message, 'UNKNOWN_CHAIN');
  throw new ValidationError(message, [{ path: 'query.chain', message }], 'UNKNOWN_CHAIN');
}

export async function checkpointsOf(chain: string, range: { from?: number | undefined; to?: number | undefined }, page: PageRequest): Promise<Page<Checkpoint>> {
  knownChain(chain, 'query');
  const from = range.from ?? 1;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  if (from > to) throw new ValidationError(`from（${from}）不能大于 to（${to}）`, [{ path: 'query.from', message: '不能大于 to' }], 'INVALID_RANGE');
  // Sort keys hold 12 digits: sizes beyond them cannot exist.
  return listCheckpoints(chain, { from, to: Math.min(to, 999_999_999_999) }, page);
}

async function requireCheckpoint(chain: string, treeSize: number, what: string): Promise<Checkpoint> {
  const checkpoint = await getCheckpoint(chain, treeSize);
  if (checkpoint) return checkpoint;
  const latest = await latestCheckpoint(chain);
  const hint = latest ? `（最新检查点的树大小为 ${latest.treeSize}）` : '（该链尚无检查点）';
  throw new NotFoundError(`审计链 ${chain} 没有树大小为 ${treeSize} 的检查点${what}${hint}`, 'CHECKPOINT_NOT_FOUND');
}

/** GET /public/audit/checkpoints/{chain}/{size}/consistency?from=N: both sizes must be checkpoints. */
export async function checkpointConsistency(chain: string, size: number, from: number): Promise<ConsistencyAnswer & { readonly nodesRead: number }> {
  knownChain(chain, 'path');
  if (from > size) throw new ValidationError(`from（${from}）不能大于 size（${size}）`, [{ path: 'query.from', message: '不能大于路径中的 size' }], 'INVALID_RANGE');
  const [newer, older] = await Promise.all([requireCheckpoint(chain, size, ''), requireCheckpoint(chain, from, '（from）')]);
  const reader = storedNodes(chain);
  const answer = await consistencyBetween(reader, older, newer);
  return { ...answer, nodesRead: reader.reads };
}

// ---------------------------------------------------------------------------------------------
// Verification (audit:verify)

export type CheckpointProblemKind =
  | 'SIGNATURE_INVALID'
  | 'LOCKED_COPY_MISSING'
  | 'LOCKED_COPY_MISMATCH'
  | 'PREVIOUS_HASH_MISMATCH'
  | 'FRONTIER_MISMATCH'
  | 'MISSING_IN_TABLE'
  | 'EVENTS_MISSING'
  | 'ROOT_MISMATCH';

export interface CheckpointProblem {
  readonly kind: CheckpointProblemKind;
  readonly chain: string;
  /** The checkpoint (tree size) where it shows. */
  readonly treeSize: number;
  readonly message: string;
}

export interface ChainCheckpointReport {
  readonly chain: string;
  readonly ok: boolean;
  readonly checkpoints: number;
  readonly latestSize: number;
  readonly eventsChecked: number;
  readonly firstProblem: CheckpointProblem | null;
}

export interface CheckpointVerifyReport {
  readonly ok: boolean;
  readonly firstProblem: CheckpointProblem | null;
  /** Chains that have checkpoints, in order. */
  readonly chains: readonly ChainCheckpointReport[];
  readonly verifiedAt: string;
}

/**
 * Checks every chain's checkpoints: each table item equals its locked copy (whose content cannot
 * change) and carries a valid signature; each links to the one before; the frontier names the latest;
 * and the tree recomputed from the events has each signed root. Self-contained: reads the table and
 * the bucket, needs the signer's public key only.
 */
export async function verifyCheckpoints(options: { publicKey?: KeyObject; progress?: (line: string) => void } = {}): Promise<CheckpointVerifyReport> {
  const publicKey = options.publicKey ?? (await manifestSigner().publicKey()).key;
  const chains: ChainCheckpointReport[] = [];
  for (const chain of CHECKPOINT_CHAINS) {
    const report = await verifyChainCheckpoints(chain, publicKey);
    if (report) {
      chains.push(report);
      options.progress?.(`${chain}: ${report.checkpoints} checkpoints, ${report.eventsChecked} events — ${report.ok ? 'ok' : report.firstProblem?.kind}`);
    }
  }
  const firstProblem = chains.find((c) => c.firstProblem)?.firstProblem ?? null;
  return { ok: firstProblem === null, firstProblem, chains, verifiedAt: new Date().toISOString() };
}

async function verifyChainCheckpoints(chain: string, publicKey: KeyObject): Promise<ChainCheckpointReport | undefined> {
  const frontier = await readFrontier(chain);
  let problem: CheckpointProblem | undefined;
  const fail = (kind: CheckpointProblemKind, treeSize: number, message: string): void => {
    problem ??= { kind, chain, treeSize, message: `审计链 ${chain}：${message}` };
  };

  // The signed sequence, as the locked copies have it wherever the table differs.
  const signed: Checkpoint[] = [];
  let previous: Checkpoint | undefined;
  for await (const item of allCheckpoints(chain)) {
    const locked = await getCheckpointObject(chain, item.treeSize);
    let reference = item;
    if (locked === undefined) {
      fail('LOCKED_COPY_MISSING', item.treeSize, `树大小 ${item.treeSize} 的检查点在锁定存储桶中没有副本`);
    } else if (locked !== checkpointDocument(item)) {
      fail('LOCKED_COPY_MISMATCH', item.treeSize, `树大小 ${item.treeSize} 的检查点与锁定存储桶中的副本不一致（表中记录被替换）`);
      reference = parseLocked(locked) ?? item;
    }
    if (!verifyCheckpointSignature(item, publicKey)) fail('SIGNATURE_INVALID', item.treeSize, `树大小 ${item.treeSize} 的检查点签名无效`);
    const expectedPrevious = previous ? checkpointHash(previous) : null;
    if (reference.previousHash !== expectedPrevious) {
      fail('PREVIOUS_HASH_MISMATCH', item.treeSize, `树大小 ${item.treeSize} 的检查点未链接到上一检查点（缺失或被替换）`);
    }
    signed.push(reference);
    previous = reference;
  }
  if (!frontier && signed.length === 0) return undefined;

  const latest = signed.at(-1);
  if (frontier && (!latest || frontier.size !== latest.treeSize || frontier.checkpointHash !== checkpointHash(latest))) {
    const lockedAtFrontier = await getCheckpointObject(chain, frontier.size);
    if (lockedAtFrontier !== undefined && (!latest || latest.treeSize < frontier.size)) {
      fail('MISSING_IN_TABLE', frontier.size, `树大小 ${frontier.size} 的检查点在锁定存储桶中存在，但表中没有`);
    } else {
      fail('FRONTIER_MISMATCH', frontier.size, `树的前沿（${frontier.size} 条）与最新检查点（${latest?.treeSize ?? 0} 条）不符`);
    }
  }

  // Recompute the tree from the events up to the latest signed size and compare every signed root.
  let state: Frontier = EMPTY_FRONTIER;
  let eventsChecked = 0;
  let pending: string[] = [];
  let next = 0; // index into `signed` of the next root to compare
  const flush = (): void => {
    state = appendToFrontier(state, pending).frontier;
    pending = [];
    while (next < signed.length && signed[next]!.treeSize === state.size) {
      const cp = signed[next]!;
      if (frontierRoot(state) !== cp.rootHash) {
        const after = next > 0 ? signed[next - 1]!.treeSize : 0;
        fail('ROOT_MISMATCH', cp.treeSize, `按表中事件重算的默克尔树根与树大小 ${cp.treeSize} 的签名检查点不符：第 ${after + 1}–${cp.treeSize} 号事件之间有事件被改动、删除或调换`);
      }
      next += 1;
    }
  };
  const end = latest?.treeSize ?? 0;
  if (end > 0) {
    for await (const item of chainItems(chain, 1, end)) {
      const event = auditEventFromItem(item);
      if (event.seq !== eventsChecked + 1) break;
      pending.push(leafHash(event.hash));
      eventsChecked += 1;
      if (pending.length >= PAGE || (next < signed.length && state.size + pending.length === signed[next]!.treeSize)) flush();
    }
    flush();
    if (eventsChecked < end) fail('EVENTS_MISSING', end, `签名检查点覆盖 ${end} 条事件，表中只连续读到 ${eventsChecked} 条（第 ${eventsChecked + 1} 号起缺失）`);
  }

  return {
    chain,
    ok: problem === undefined,
    checkpoints: signed.length,
    latestSize: end,
    eventsChecked,
    firstProblem: problem ?? null,
  };
}

function parseLocked(text: string): Checkpoint | undefined {
  try {
    return signedCheckpoint(JSON.parse(text) as Checkpoint);
  } catch {
    return undefined;
  }
}
