/**
 * Merkle trees over an audit chain, hashed exactly as RFC 9162 (Certificate Transparency v2) §2.1
 * and RFC 6962 §2.1 define them, so that anyone with a generic CT verifier can check our proofs:
 *
 * - MTH({}) = SHA-256() (§2.1.1), leaves SHA-256(0x00 || d), interior nodes SHA-256(0x01 || l || r);
 *   the two prefixes keep a leaf from ever being passed off as an interior node (second preimages).
 * - A tree of n > 1 leaves splits at k, the largest power of two below n (§2.1.1), not at the middle:
 *   every left subtree is then perfect, and only the right edge of a tree is ever ragged.
 * - Inclusion proofs are §2.1.3.1 PATH and verify by §2.1.3.2; consistency proofs are §2.1.4.1 PROOF
 *   and verify by §2.1.4.2.
 *
 * Why the leaves are the audit events' hashes, not the events: the hash already covers every field of
 * an event (audit.ts), so a leaf commits to the whole event while the public tree, its checkpoints and
 * its proofs reveal nothing of the event bodies, which are never public.
 *
 * Why perfect subtrees are the unit of storage: a perfect subtree (2^level leaves, aligned) never
 * changes once complete, so a store can keep each one as it is completed (`appendToFrontier` returns
 * them) and never rewrite it. Building a checkpoint then costs the events since the last one (the
 * frontier — the compact range of the tree — is all the state carried between runs), and any proof
 * needs O(log n) stored nodes: ragged right edges are composed from the perfect subtrees inside them.
 *
 * Hashes are lowercase hex strings of 32 bytes. Functions that build trees or proofs throw RangeError
 * on arguments only a programming error produces; the verify functions check untrusted input (proofs
 * fetched from a server, a verifier's state file) and answer false instead of throwing.
 */
import { createHash } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const HASH_PATTERN = /^[0-9a-f]{64}$/i;
const BYTES_PATTERN = /^(?:[0-9a-f]{2})*$/i;

/** SHA-256 of the empty string: the root of the empty tree (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: string = createHash('sha256').digest('hex');

function isHash(value: unknown): value is string {
  return typeof value === 'string' && HASH_PATTERN.test(value);
}

function checkHash(value: unknown, what: string): string {
  if (!isHash(value)) throw new RangeError(`${what} must be a 32-byte hash in hex (64 characters)`);
  return value.toLowerCase();
}

function checkCount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Unchecked interior hash over lowercase hex; callers have validated both sides. */
function hashChildren(left: string, right: string): string {
  return createHash('sha256')
    .update(NODE_PREFIX)
    .update(Buffer.from(left, 'hex'))
    .update(Buffer.from(right, 'hex'))
    .digest('hex');
}

/** Leaf hash: SHA-256(0x00 || data). `data` is bytes, or a hex string of bytes (an audit event's hash). */
export function leafHash(data: Uint8Array | string): string {
  let bytes: Uint8Array;
  if (typeof data === 'string') {
    // Hex only: hashing a UTF-8 string by mistake would give a tree nobody else can reproduce.
    if (!BYTES_PATTERN.test(data)) throw new RangeError('leaf data given as a string must be hex of whole bytes');
    bytes = Buffer.from(data, 'hex');
  } else if (data instanceof Uint8Array) {
    bytes = data;
  } else {
    throw new RangeError('leaf data must be bytes or a hex string');
  }
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest('hex');
}

/** Interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: string, right: string): string {
  return hashChildren(checkHash(left, 'left hash'), checkHash(right, 'right hash'));
}

// ---------------------------------------------------------------------------------------------
// Tree arithmetic (plain Number arithmetic: sizes go up to 2^53, beyond the 32-bit bitwise operators)
// ---------------------------------------------------------------------------------------------

/** The largest power of two strictly less than n (n ≥ 2): RFC 9162's split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) if n is a power of two, otherwise -1. */
function levelOfPerfect(n: number): number {
  if (n < 1) return -1;
  let level = 0;
  while (n % 2 === 0) {
    n /= 2;
    level += 1;
  }
  return n === 1 ? level : -1;
}

function popCount(n: number): number {
  let count = 0;
  while (n > 0) {
    count += n % 2;
    n = Math.floor(n / 2);
  }
  return count;
}

const half = (n: number): number => Math.floor(n / 2);
const isOdd = (n: number): boolean => n % 2 === 1;

// ---------------------------------------------------------------------------------------------
// Frontier (compact range): the state carried from one checkpoint to the next
// ---------------------------------------------------------------------------------------------

/** The compact range of a tree: the roots of its perfect subtrees, largest (leftmost) first. */
export interface Frontier {
  readonly size: number;
  readonly nodes: readonly string[];
}

export const EMPTY_FRONTIER: Frontier = Object.freeze({ size: 0, nodes: Object.freeze([]) });

/** A perfect subtree hash: `2^level` leaves starting at leaf `index * 2^level`. level 0 = the leaf hash itself. */
export interface TreeNode {
  readonly level: number;
  readonly index: number;
  readonly hash: string;
}

function checkFrontier(frontier: Frontier): string[] {
  const size = checkCount(frontier.size, 'frontier size');
  // One perfect subtree per set bit of the size, so the node count is fixed by the size.
  const expected = popCount(size);
  if (!Array.isArray(frontier.nodes) || frontier.nodes.length !== expected) {
    throw new RangeError(`a frontier of size ${size} must have ${expected} nodes`);
  }
  return frontier.nodes.map((node, i) => checkHash(node, `frontier node ${i}`));
}

/**
 * Appends leaf hashes; returns the new frontier and every perfect subtree completed on the way
 * (levels ≥ 0, leaves included), so a store can keep them for proofs. Cost O(k + log n).
 */
export function appendToFrontier(
  frontier: Frontier,
  leafHashes: readonly string[],
): { frontier: Frontier; completed: TreeNode[] } {
  const nodes = checkFrontier(frontier);
  const leaves = leafHashes.map((leaf, i) => checkHash(leaf, `leaf hash ${i}`));
  let size = frontier.size;
  if (!Number.isSafeInteger(size + leaves.length)) throw new RangeError('the tree would outgrow safe integers');
  const completed: TreeNode[] = [];
  for (const leaf of leaves) {
    // Binary-counter carry: each trailing 1 bit of the old size is a perfect subtree that the new
    // node completes a level above (amortised O(1) per leaf).
    let hash = leaf;
    let level = 0;
    let index = size;
    completed.push({ level, index, hash });
    for (let carry = size; isOdd(carry); carry = half(carry)) {
      const left = nodes.pop();
      if (left === undefined) throw new Error('frontier underflow (unreachable: node count was checked)');
      hash = hashChildren(left, hash);
      level += 1;
      index = half(index);
      completed.push({ level, index, hash });
    }
    nodes.push(hash);
    size += 1;
  }
  return { frontier: { size, nodes }, completed };
}

/** Root of the tree the frontier describes (RFC 9162 MTH of its `size` leaves). */
export function frontierRoot(frontier: Frontier): string {
  const nodes = checkFrontier(frontier);
  // The frontier is the binary decomposition of the size, which is exactly how MTH splits a tree
  // (k = the highest set bit); folding from the right rebuilds the right edge.
  let root = nodes.pop();
  if (root === undefined) return EMPTY_ROOT;
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) root = hashChildren(node, root);
  return root;
}

/** MTH over already-hashed leaves (leafHash applied), in order. */
export function rootOf(leafHashes: readonly string[]): string {
  return frontierRoot(appendToFrontier(EMPTY_FRONTIER, leafHashes).frontier);
}

// ---------------------------------------------------------------------------------------------
// Proofs from stored perfect subtrees
// ---------------------------------------------------------------------------------------------

/** Reads stored perfect-subtree hashes (as `completed` produced them). */
export interface NodeReader {
  node(level: number, index: number): Promise<string>;
}

/** A half-open leaf range [start, end). */
type Range = readonly [start: number, end: number];

async function readNode(reader: NodeReader, level: number, index: number): Promise<string> {
  const hash = await reader.node(level, index);
  // A store returning garbage is a broken store, not bad input: say where.
  if (!isHash(hash)) throw new Error(`stored node at level ${level}, index ${index} is not a 32-byte hex hash`);
  return hash.toLowerCase();
}

/** MTH of [start, end) with start < end; both halves are read concurrently. */
async function rangeRoot(reader: NodeReader, start: number, end: number): Promise<string> {
  const n = end - start;
  const level = levelOfPerfect(n);
  if (level >= 0 && start % n === 0) return readNode(reader, level, start / n);
  if (n === 1) throw new Error('unreachable: a single leaf is always a perfect subtree');
  const k = splitPoint(n);
  const [left, right] = await Promise.all([
    rangeRoot(reader, start, start + k),
    rangeRoot(reader, start + k, end),
  ]);
  return hashChildren(left, right);
}

/**
 * MTH of leaves [start, end), composed from perfect subtrees (EMPTY_ROOT when start = end).
 * O(log n) reads when start is a multiple of the smallest power of two ≥ end - start — true of
 * every range a proof needs and of [0, size); other ranges are exact but may read down to leaves.
 */
export async function subtreeRoot(reader: NodeReader, start: number, end: number): Promise<string> {
  checkCount(start, 'start');
  checkCount(end, 'end');
  if (start > end) throw new RangeError(`start (${start}) must not be after end (${end})`);
  if (start === end) return EMPTY_ROOT;
  return rangeRoot(reader, start, end);
}

/**
 * The subtrees whose roots make up PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf level first.
 * Walking down, a step right has a perfect left sibling and a step left a right sibling that is
 * perfect unless it is the tree's right edge — which happens at most once, so the path reads
 * O(log n) nodes in all.
 */
function inclusionRanges(index: number, size: number): Range[] {
  const siblings: Range[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      siblings.push([start + k, end]);
      end = start + k;
    } else {
      siblings.push([start, start + k]);
      start += k;
    }
  }
  return siblings.reverse();
}

/** The subtrees whose roots make up PROOF(from, D[0:to]) (RFC 9162 §2.1.4.1), in proof order. */
function consistencyRanges(from: number, to: number): Range[] {
  const parts: Range[] = [];
  let start = 0;
  let end = to;
  let whole = true; // SUBPROOF's flag b: still on the path of the old tree's own root
  for (;;) {
    const n = end - start;
    if (from - start === n) {
      if (!whole) parts.push([start, end]);
      break;
    }
    const k = splitPoint(n);
    if (from - start <= k) {
      parts.push([start + k, end]);
      end = start + k;
    } else {
      parts.push([start, start + k]);
      start += k;
      whole = false;
    }
  }
  return parts.reverse();
}

/** Inclusion proof (RFC 9162 §2.1.3.1 PATH) of leaf `index` in the tree of `size` leaves, using only perfect subtree nodes: O(log n) reads. */
export async function inclusionProof(reader: NodeReader, index: number, size: number): Promise<string[]> {
  checkCount(index, 'index');
  checkCount(size, 'size');
  if (index >= size) throw new RangeError(`index (${index}) must be less than the tree size (${size})`);
  return Promise.all(inclusionRanges(index, size).map(([start, end]) => rangeRoot(reader, start, end)));
}

/** Consistency proof (RFC 9162 §2.1.4.1 PROOF) from size `from` to size `to` (0 < from ≤ to): O(log n) reads. */
export async function consistencyProof(reader: NodeReader, from: number, to: number): Promise<string[]> {
  checkCount(from, 'from');
  checkCount(to, 'to');
  // Size 0 has no tree to prove anything about; its root is EMPTY_ROOT and verifyConsistency
  // accepts an empty proof from it.
  if (from === 0) throw new RangeError('from must be at least 1');
  if (from > to) throw new RangeError(`from (${from}) must not be after to (${to})`);
  return Promise.all(consistencyRanges(from, to).map(([start, end]) => rangeRoot(reader, start, end)));
}

// ---------------------------------------------------------------------------------------------
// Verification (untrusted input: false, never a throw)
// ---------------------------------------------------------------------------------------------

/** PATH and PROOF of a tree of at most 2^53 leaves have at most 54 hashes; refuse more unread. */
const MAX_PROOF_LENGTH = 64;

function isProof(proof: unknown): proof is readonly string[] {
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) return false;
  // Indexed, not `every`: `every` skips the holes of a sparse array.
  for (let i = 0; i < proof.length; i++) if (!isHash(proof[i])) return false;
  return true;
}

/**
 * RFC 9162 §2.1.3.2 verification. `leaf` is the leaf hash (`leafHash(data)`), not the data.
 * The proof must have exactly the length PATH gives: extra or missing hashes fail.
 */
export function verifyInclusion(
  leaf: string,
  index: number,
  size: number,
  proof: readonly string[],
  root: string,
): boolean {
  if (!isHash(leaf) || !isHash(root) || !isCount(index) || !isCount(size) || !isProof(proof)) return false;
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf.toLowerCase();
  for (const raw of proof) {
    const p = raw.toLowerCase();
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      // A rightmost node without a sibling is carried up unchanged until it is a right child.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r === root.toLowerCase();
}

/**
 * RFC 9162 §2.1.4.2 verification, plus the two cases the RFC leaves to the caller (as
 * transparency-dev/merkle does): from = to needs an empty proof and equal roots; from = 0 needs an
 * empty proof and fromRoot = EMPTY_ROOT (the empty tree is a prefix of every tree).
 */
export function verifyConsistency(
  from: number,
  to: number,
  proof: readonly string[],
  fromRoot: string,
  toRoot: string,
): boolean {
  if (!isCount(from) || !isCount(to) || !isHash(fromRoot) || !isHash(toRoot) || !isProof(proof)) return false;
  if (from > to) return false;
  const first = fromRoot.toLowerCase();
  const second = toRoot.toLowerCase();
  if (from === to) return proof.length === 0 && first === second;
  if (from === 0) return proof.length === 0 && first === EMPTY_ROOT;
  if (proof.length === 0) return false;

  // When the old tree is perfect, PROOF omits its root (the verifier has it): put it back.
  const hashes = proof.map((p) => p.toLowerCase());
  const path = levelOfPerfect(from) >= 0 ? [first, ...hashes] : hashes;
  let fn = from - 1;
  let sn = to - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [seed, ...rest] = path;
  if (seed === undefined) return false;
  let fr = seed;
  let sr = seed;
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr === first && sr === second;
}

// ---------------------------------------------------------------------------------------------
// In-memory node store (tests, local tools)
// ---------------------------------------------------------------------------------------------

/**
 * A NodeReader over a Map, filled from `completed` lists. A node stored twice must not change:
 * perfect subtrees are immutable, so a different hash at the same place means a bug or tampering.
 */
export function memoryNodes(
  completed: readonly TreeNode[] = [],
): NodeReader & { put(nodes: readonly TreeNode[]): void } {
  const hashes = new Map<string, string>();
  const key = (level: number, index: number): string => `${level}/${index}`;
  const put = (nodes: readonly TreeNode[]): void => {
    for (const { level, index, hash } of nodes) {
      checkCount(level, 'level');
      checkCount(index, 'index');
      const value = checkHash(hash, `hash of node ${key(level, index)}`);
      const existing = hashes.get(key(level, index));
      if (existing !== undefined && existing !== value) {
        throw new Error(`node at level ${level}, index ${index} is already stored with a different hash`);
      }
      hashes.set(key(level, index), value);
    }
  };
  put(completed);
  return {
    put,
    node(level: number, index: number): Promise<string> {
      const hash = hashes.get(key(level, index));
      if (hash === undefined) return Promise.reject(new Error(`no stored node at level ${level}, index ${index}`));
      return Promise.resolve(hash);
    },
  };
}
