/**
 * RFC 9162 / RFC 6962 Merkle trees (issue 12, I2). The library is checked three ways: against the
 * Certificate Transparency reference vectors, against a naive transcription of the RFC's recursive
 * definitions written here without any of the library's code, and by properties over random trees
 * of up to a few thousand leaves.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendToFrontier,
  consistencyProof,
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  frontierRoot,
  inclusionProof,
  leafHash,
  memoryNodes,
  nodeHash,
  rootOf,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
  type Frontier,
  type NodeReader,
} from '../../shared/domain/merkle.ts';

// ---------------------------------------------------------------------------------------------
// An independent reference: RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1 PROOF, word for word,
// over the raw leaf data.
// ---------------------------------------------------------------------------------------------

const sha256 = (...parts: Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest('hex');
};
const bytes = (hex: string): Uint8Array => Buffer.from(hex, 'hex');

/** The largest power of two less than n (n > 1). */
const splitOf = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

function naiveMth(d: readonly Uint8Array[]): string {
  const n = d.length;
  if (n === 0) return sha256();
  if (n === 1) return sha256(Uint8Array.of(0), d[0] as Uint8Array);
  const k = splitOf(n);
  return sha256(Uint8Array.of(1), bytes(naiveMth(d.slice(0, k))), bytes(naiveMth(d.slice(k))));
}

function naivePath(m: number, d: readonly Uint8Array[]): string[] {
  const n = d.length;
  if (n === 1) return [];
  const k = splitOf(n);
  return m < k
    ? [...naivePath(m, d.slice(0, k)), naiveMth(d.slice(k))]
    : [...naivePath(m - k, d.slice(k)), naiveMth(d.slice(0, k))];
}

function naiveSubproof(m: number, d: readonly Uint8Array[], b: boolean): string[] {
  const n = d.length;
  if (m === n) return b ? [] : [naiveMth(d)];
  const k = splitOf(n);
  return m <= k
    ? [...naiveSubproof(m, d.slice(0, k), b), naiveMth(d.slice(k))]
    : [...naiveSubproof(m - k, d.slice(k), false), naiveMth(d.slice(0, k))];
}

const naiveProof = (m: number, d: readonly Uint8Array[]): string[] => naiveSubproof(m, d, true);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Leaf data of varied lengths (0..40 bytes), so leaf hashing sees more than one shape of input. */
const sampleData = (count: number, seed = 0): Uint8Array[] =>
  Array.from({ length: count }, (_, i) => {
    const full = createHash('sha256').update(`${seed}/${i}`).digest();
    return full.subarray(0, (i * 7 + seed) % 33);
  });

/** Random-looking leaf hashes standing in for audit events' hashes (hex, as the store keeps them). */
const eventHashes = (count: number, seed: number): string[] =>
  Array.from({ length: count }, (_, i) => createHash('sha256').update(`event ${seed}/${i}`).digest('hex'));

function buildTree(leaves: readonly string[]) {
  const { frontier, completed } = appendToFrontier(EMPTY_FRONTIER, leaves);
  return { frontier, nodes: memoryNodes(completed), root: frontierRoot(frontier) };
}

/** Counts reads, to hold proofs to their O(log n) promise. */
function counting(reader: NodeReader): NodeReader & { reads: number } {
  const wrapped = {
    reads: 0,
    node(level: number, index: number) {
      wrapped.reads += 1;
      return reader.node(level, index);
    },
  };
  return wrapped;
}

const ceilLog2 = (n: number): number => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

/** Changes one hex digit of a hash, keeping it well-formed. */
const flip = (hash: string, at = 0): string => {
  const i = at % hash.length;
  const digit = hash[i] === '0' ? '1' : '0';
  return hash.slice(0, i) + digit + hash.slice(i + 1);
};

// ---------------------------------------------------------------------------------------------
// Reference vectors
// ---------------------------------------------------------------------------------------------

// The Certificate Transparency reference vectors (google/certificate-transparency's
// merkle_tree_test, reused by transparency-dev/merkle): leaf data, then the root for sizes 1..8.
const CT_DATA = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const ctRoot = (size: number): string => CT_ROOTS[size - 1] as string;

describe('hashing (RFC 9162 §2.1.1)', () => {
  it('gives the empty tree the SHA-256 of the empty string', () => {
    expect(EMPTY_ROOT).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_ROOT).toBe(sha256());
    expect(rootOf([])).toBe(EMPTY_ROOT);
    expect(frontierRoot(EMPTY_FRONTIER)).toBe(EMPTY_ROOT);
  });

  it('prefixes leaves with 0x00 and interior nodes with 0x01', () => {
    const data = bytes('c0ffee');
    expect(leafHash(data)).toBe(sha256(Uint8Array.of(0), data));
    const [a, b] = [leafHash(bytes('01')), leafHash(bytes('02'))];
    expect(nodeHash(a, b)).toBe(sha256(Uint8Array.of(1), bytes(a), bytes(b)));
    expect(nodeHash(a, b)).not.toBe(nodeHash(b, a));
  });

  it("hashes a hex string as the bytes it spells (an audit event's hash), in either case", () => {
    const eventHash = sha256(Buffer.from('event'));
    expect(leafHash(eventHash)).toBe(leafHash(bytes(eventHash)));
    expect(leafHash(eventHash.toUpperCase())).toBe(leafHash(eventHash));
    expect(leafHash('')).toBe(leafHash(new Uint8Array()));
  });

  it('refuses strings that are not hex bytes, and malformed hashes', () => {
    expect(() => leafHash('an event')).toThrow(RangeError);
    expect(() => leafHash('abc')).toThrow(RangeError);
    const h = leafHash(bytes('01'));
    expect(() => nodeHash(h, h.slice(2))).toThrow(RangeError);
    expect(() => nodeHash(`${h}00`, h)).toThrow(RangeError);
    expect(() => nodeHash(h, 'z'.repeat(64))).toThrow(RangeError);
    expect(() => rootOf([h, 'nope'])).toThrow(RangeError);
  });

  it('returns lowercase hashes even from uppercase input', () => {
    const h = leafHash(bytes('01'));
    expect(nodeHash(h.toUpperCase(), h)).toBe(nodeHash(h, h));
    expect(rootOf([h.toUpperCase()])).toBe(h);
  });
});

describe('the Certificate Transparency reference vectors', () => {
  const leaves = CT_DATA.map(leafHash);
  const { nodes } = buildTree(leaves);

  it('gives the published root for every size 1..8', () => {
    for (let n = 1; n <= 8; n++) expect(rootOf(leaves.slice(0, n)), `size ${n}`).toBe(ctRoot(n));
  });

  it('gives the published inclusion proofs', async () => {
    expect(await inclusionProof(nodes, 0, 8)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(await inclusionProof(nodes, 5, 8)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(await inclusionProof(nodes, 0, 1)).toEqual([]);
  });

  it('gives the published consistency proofs, and they verify', async () => {
    const cases = [
      { from: 2, to: 8, proof: [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ] },
      { from: 6, to: 8, proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ] },
    ];
    for (const { from, to, proof } of cases) {
      expect(await consistencyProof(nodes, from, to)).toEqual(proof);
      expect(verifyConsistency(from, to, proof, ctRoot(from), ctRoot(to))).toBe(true);
    }
    expect(await consistencyProof(nodes, 8, 8)).toEqual([]);
  });
});

describe('agreement with the naive RFC definitions', () => {
  const data = sampleData(64, 3);
  const leaves = data.map(leafHash);
  const { nodes } = buildTree(leaves);

  it('roots (MTH) for every size 0..64, one-shot and leaf by leaf', () => {
    let frontier: Frontier = EMPTY_FRONTIER;
    for (let n = 0; n <= 64; n++) {
      const expected = naiveMth(data.slice(0, n));
      expect(rootOf(leaves.slice(0, n)), `size ${n}`).toBe(expected);
      expect(frontierRoot(frontier), `frontier at ${n}`).toBe(expected);
      if (n < 64) frontier = appendToFrontier(frontier, leaves.slice(n, n + 1)).frontier;
    }
  });

  it('inclusion proofs (PATH) for every leaf of every size 1..40, and each verifies', async () => {
    for (let n = 1; n <= 40; n++) {
      const root = naiveMth(data.slice(0, n));
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(nodes, i, n);
        expect(proof, `leaf ${i} of ${n}`).toEqual(naivePath(i, data.slice(0, n)));
        expect(verifyInclusion(leaves[i] as string, i, n, proof, root), `leaf ${i} of ${n}`).toBe(true);
      }
    }
  });

  it('consistency proofs (PROOF) for every 0 < m ≤ n ≤ 40, and each verifies', async () => {
    const roots = Array.from({ length: 41 }, (_, n) => naiveMth(data.slice(0, n)));
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = await consistencyProof(nodes, m, n);
        expect(proof, `${m} → ${n}`).toEqual(naiveProof(m, data.slice(0, n)));
        expect(verifyConsistency(m, n, proof, roots[m] as string, roots[n] as string), `${m} → ${n}`).toBe(true);
      }
    }
  });

  it('subtree roots of any range [start, end) ⊆ [0, 40), aligned or not', async () => {
    for (let start = 0; start <= 40; start++) {
      for (let end = start; end <= 40; end++) {
        expect(await subtreeRoot(nodes, start, end), `[${start}, ${end})`).toBe(naiveMth(data.slice(start, end)));
      }
    }
  });

  it('every completed node is the MTH of the leaves it covers, and the frontier is the compact range', () => {
    const { frontier, completed } = appendToFrontier(EMPTY_FRONTIER, leaves.slice(0, 45));
    // 45 leaves complete 45 + 22 + 11 + 5 + 2 + 1 perfect subtrees.
    expect(completed).toHaveLength(86);
    for (const { level, index, hash } of completed) {
      const width = 2 ** level;
      expect(hash).toBe(naiveMth(data.slice(index * width, (index + 1) * width)));
    }
    // 45 = 32 + 8 + 4 + 1
    expect(frontier.nodes).toEqual([
      naiveMth(data.slice(0, 32)),
      naiveMth(data.slice(32, 40)),
      naiveMth(data.slice(40, 44)),
      naiveMth(data.slice(44, 45)),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random trees
// ---------------------------------------------------------------------------------------------

const treeSize = fc.integer({ min: 1, max: 3000 });
const seed = fc.integer({ min: 0, max: 1_000_000 });
/** A position as a fraction, scaled to whatever size the run picked. */
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const at = (f: number, n: number): number => Math.floor(f * n);

describe('properties of random trees up to 3000 leaves', () => {
  it('appending in any chunks gives the same frontier, and stores every perfect subtree once', () => {
    fc.assert(
      fc.property(treeSize, seed, fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 10 }), (n, s, cuts) => {
        const leaves = eventHashes(n, s);
        const oneShot = appendToFrontier(EMPTY_FRONTIER, leaves);
        let frontier = EMPTY_FRONTIER;
        const completed = [];
        let done = 0;
        for (const cut of [...cuts, n]) {
          const next = Math.min(n, done + cut);
          const step = appendToFrontier(frontier, leaves.slice(done, next));
          frontier = step.frontier;
          completed.push(...step.completed);
          done = next;
        }
        expect(frontier).toEqual(oneShot.frontier);
        expect(completed).toEqual(oneShot.completed);
        // A perfect subtree of each level for every 2^level leaves.
        let expected = 0;
        for (let width = 1; width <= n; width *= 2) expected += Math.floor(n / width);
        expect(completed).toHaveLength(expected);
        expect(new Set(completed.map((c) => `${c.level}/${c.index}`)).size).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('every inclusion proof verifies against the root in O(log n) reads, and nothing else does', async () => {
    await fc.assert(
      fc.asyncProperty(treeSize, seed, fraction, fraction, async (n, s, fi, fj) => {
        const leaves = eventHashes(n, s);
        const { nodes, root } = buildTree(leaves);
        const i = at(fi, n);
        const leaf = leaves[i] as string;
        const reader = counting(nodes);

        const proof = await inclusionProof(reader, i, n);
        expect(verifyInclusion(leaf, i, n, proof, root)).toBe(true);
        expect(proof.length).toBeLessThanOrEqual(ceilLog2(n));
        expect(reader.reads).toBeLessThanOrEqual(2 * ceilLog2(n));
        expect(await subtreeRoot(nodes, 0, n)).toBe(root);

        // Another leaf, another index, another root.
        const j = at(fj, n);
        if (j !== i) {
          expect(verifyInclusion(leaves[j] as string, i, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, j, n, proof, root)).toBe(false);
        }
        expect(verifyInclusion(flip(leaf), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, proof, flip(root, 63))).toBe(false);
        expect(verifyInclusion(leaf, i, n, proof, rootOf(leaves.slice(0, n - 1)))).toBe(false);
        expect(verifyInclusion(leaf, n, n, proof, root)).toBe(false);
        // Roots do not encode the size; the proof's length has to match the size claimed.
        expect(verifyInclusion(leaf, i, 2 * n, proof, root)).toBe(false);

        // Tampered proofs: any hash changed, one dropped, one added, two swapped.
        if (proof.length > 0) {
          const k = at(fj, proof.length);
          expect(verifyInclusion(leaf, i, n, proof.with(k, flip(proof[k] as string, s)), root)).toBe(false);
          expect(verifyInclusion(leaf, i, n, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(leaf, i, n, proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(leaf, i, n, [...proof, leaf], root)).toBe(false);
        if (proof.length > 1 && proof[0] !== proof[1]) {
          const swapped = [proof[1] as string, proof[0] as string, ...proof.slice(2)];
          expect(verifyInclusion(leaf, i, n, swapped, root)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('every consistency proof between m ≤ n verifies in O(log n) reads, and tampering fails', async () => {
    await fc.assert(
      fc.asyncProperty(treeSize, seed, fraction, fraction, async (n, s, fm, fk) => {
        const leaves = eventHashes(n, s);
        const { nodes, root } = buildTree(leaves);
        const m = 1 + at(fm, n);
        const fromRoot = rootOf(leaves.slice(0, m));
        const reader = counting(nodes);

        const proof = await consistencyProof(reader, m, n);
        expect(verifyConsistency(m, n, proof, fromRoot, root)).toBe(true);
        expect(proof.length).toBeLessThanOrEqual(ceilLog2(n) + 1);
        expect(reader.reads).toBeLessThanOrEqual(2 * ceilLog2(n));
        expect(await subtreeRoot(nodes, 0, m)).toBe(fromRoot);

        expect(verifyConsistency(m, 2 * n, proof, fromRoot, root)).toBe(false);
        // Wrong roots at either end.
        expect(verifyConsistency(m, n, proof, flip(fromRoot, 5), root)).toBe(false);
        expect(verifyConsistency(m, n, proof, fromRoot, flip(root, 7))).toBe(false);
        if (m > 1) expect(verifyConsistency(m, n, proof, rootOf(leaves.slice(0, m - 1)), root)).toBe(false);
        if (m < n) {
          expect(verifyConsistency(m, n, proof, fromRoot, rootOf(leaves.slice(0, n - 1)))).toBe(false);
          // Rolling back: the same proof read backwards.
          expect(verifyConsistency(n, m, proof, root, fromRoot)).toBe(false);
        }

        // Tampered proofs.
        if (proof.length > 0) {
          const k = at(fk, proof.length);
          expect(verifyConsistency(m, n, proof.with(k, flip(proof[k] as string, s)), fromRoot, root)).toBe(false);
          expect(verifyConsistency(m, n, proof.slice(0, -1), fromRoot, root)).toBe(false);
          expect(verifyConsistency(m, n, proof.slice(1), fromRoot, root)).toBe(false);
        }
        expect(verifyConsistency(m, n, [...proof, root], fromRoot, root)).toBe(false);
        if (proof.length > 1 && proof[0] !== proof[1]) {
          const swapped = [proof[1] as string, proof[0] as string, ...proof.slice(2)];
          expect(verifyConsistency(m, n, swapped, fromRoot, root)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('swapping two events is caught: the root changes, old proofs fail, history is inconsistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3000 }), seed, fraction, fraction, fraction, async (n, s, fa, fb, fm) => {
        const leaves = eventHashes(n, s);
        const a = at(fa, n);
        const b = at(fb, n) === a ? (a + 1) % n : at(fb, n);
        const swappedLeaves = leaves.with(a, leaves[b] as string).with(b, leaves[a] as string);
        const honest = buildTree(leaves);
        const forged = buildTree(swappedLeaves);
        expect(forged.root).not.toBe(honest.root);

        // The honest proof for an event no longer fits the forged root, nor the forged proof the honest one.
        const honestProof = await inclusionProof(honest.nodes, a, n);
        expect(verifyInclusion(leaves[a] as string, a, n, honestProof, forged.root)).toBe(false);
        const forgedProof = await inclusionProof(forged.nodes, a, n);
        expect(verifyInclusion(leaves[a] as string, a, n, forgedProof, forged.root)).toBe(false);
        expect(verifyInclusion(leaves[b] as string, a, n, forgedProof, honest.root)).toBe(false);

        // A checkpoint taken before the swap (covering the first swapped event) cannot be extended
        // to the forged tree.
        const low = Math.min(a, b);
        const m = low + 1 + at(fm, n - low);
        const checkpoint = rootOf(leaves.slice(0, m));
        const proof = await consistencyProof(forged.nodes, m, n);
        expect(verifyConsistency(m, n, proof, checkpoint, forged.root)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('the verifiers answer false, never throw, whatever they are given', () => {
    const anything = fc.anything();
    const count = fc.oneof(fc.integer({ min: -3, max: 3000 }), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2), anything);
    const hash = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string(), anything);
    fc.assert(
      fc.property(hash, count, count, fc.oneof(fc.array(hash, { maxLength: 70 }), fc.sparseArray(hash, { maxLength: 8 }), anything), hash, (leaf, i, n, proof, root) => {
        expect(verifyInclusion(leaf as string, i as number, n as number, proof as string[], root as string)).toBe(false);
        expect(verifyConsistency(i as number, n as number, proof as string[], leaf as string, root as string)).toBe(false);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Edges and bad input
// ---------------------------------------------------------------------------------------------

describe('edge cases the RFC leaves to the caller', () => {
  const leaves = eventHashes(9, 1);
  const roots = Array.from({ length: 10 }, (_, n) => rootOf(leaves.slice(0, n)));
  const r = (n: number): string => roots[n] as string;

  it('a tree is consistent with itself through an empty proof, and only with itself', () => {
    expect(verifyConsistency(5, 5, [], r(5), r(5))).toBe(true);
    expect(verifyConsistency(5, 5, [], r(5), r(6))).toBe(false);
    expect(verifyConsistency(5, 5, [r(1)], r(5), r(5))).toBe(false);
  });

  it('the empty tree is a prefix of every tree, with an empty proof and the empty root', () => {
    expect(verifyConsistency(0, 9, [], EMPTY_ROOT, r(9))).toBe(true);
    expect(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)).toBe(true);
    expect(verifyConsistency(0, 9, [], r(1), r(9))).toBe(false);
    expect(verifyConsistency(0, 9, [r(1)], EMPTY_ROOT, r(9))).toBe(false);
  });

  it('a non-trivial consistency claim needs a proof', () => {
    expect(verifyConsistency(3, 9, [], r(3), r(9))).toBe(false);
    expect(verifyConsistency(4, 9, [], r(4), r(9))).toBe(false);
  });

  it('a one-leaf tree: the leaf is the root, the proof is empty', async () => {
    const { nodes, root } = buildTree(leaves.slice(0, 1));
    expect(root).toBe(leaves[0]);
    expect(await inclusionProof(nodes, 0, 1)).toEqual([]);
    expect(verifyInclusion(leaves[0] as string, 0, 1, [], root)).toBe(true);
    expect(verifyInclusion(leaves[0] as string, 0, 1, [root], root)).toBe(false);
    // The bit walk alone would accept this: a leaf past the end must be refused up front.
    expect(verifyInclusion(leaves[0] as string, 1, 1, [], root)).toBe(false);
  });

  it('accepts uppercase hex in proofs, leaves and roots', async () => {
    const { nodes, root } = buildTree(leaves);
    const proof = await inclusionProof(nodes, 6, 9);
    const upper = (h: string) => h.toUpperCase();
    expect(verifyInclusion(upper(leaves[6] as string), 6, 9, proof.map(upper), upper(root))).toBe(true);
    const consistency = await consistencyProof(nodes, 4, 9);
    expect(verifyConsistency(4, 9, consistency.map(upper), upper(r(4)), upper(root))).toBe(true);
  });
});

describe('sizes beyond 32 bits', () => {
  // A tree whose leaves are all the same hash: every perfect subtree of a level has the same hash,
  // so a reader can answer for any position of a tree of 2^53 - 1 leaves.
  const leaf = leafHash(bytes('ab'));
  const perfect = [leaf];
  for (let level = 1; level <= 53; level++) {
    const below = perfect[level - 1] as string;
    perfect.push(nodeHash(below, below));
  }
  const uniform: NodeReader = {
    node: (level) => Promise.resolve(perfect[level] as string),
  };

  it.each([2 ** 32 + 1, 2 ** 40 + 12_345, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER])('proves and verifies in a tree of %d leaves', async (size) => {
    const root = await subtreeRoot(uniform, 0, size);
    for (const index of [0, 2 ** 31, size - 2, size - 1]) {
      const reader = counting(uniform);
      const proof = await inclusionProof(reader, index, size);
      expect(proof.length).toBeLessThanOrEqual(53);
      expect(reader.reads).toBeLessThanOrEqual(2 * 53);
      expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
    }
    for (const from of [1, 2 ** 31 + 7, size - 1]) {
      const proof = await consistencyProof(uniform, from, size);
      expect(verifyConsistency(from, size, proof, await subtreeRoot(uniform, 0, from), root)).toBe(true);
    }
  });

  it('carries the frontier across 52 levels', () => {
    // 2^52 - 1 leaves: one perfect subtree of each level 51..0.
    const frontier = { size: 2 ** 52 - 1, nodes: perfect.slice(0, 52).reverse() };
    const { frontier: next, completed } = appendToFrontier(frontier, [leaf]);
    expect(next).toEqual({ size: 2 ** 52, nodes: [perfect[52]] });
    expect(completed).toHaveLength(53);
    expect(completed.at(-1)).toEqual({ level: 52, index: 0, hash: perfect[52] });
    expect(completed[0]).toEqual({ level: 0, index: 2 ** 52 - 1, hash: leaf });
  });
});

describe('programmer errors throw RangeError', () => {
  const { nodes, frontier } = buildTree(eventHashes(8, 2));

  it('for proofs outside the tree', async () => {
    await expect(inclusionProof(nodes, 8, 8)).rejects.toThrow(RangeError);
    await expect(inclusionProof(nodes, -1, 8)).rejects.toThrow(RangeError);
    await expect(inclusionProof(nodes, 0.5, 8)).rejects.toThrow(RangeError);
    await expect(inclusionProof(nodes, 0, 0)).rejects.toThrow(RangeError);
    await expect(consistencyProof(nodes, 0, 8)).rejects.toThrow(RangeError);
    await expect(consistencyProof(nodes, 5, 3)).rejects.toThrow(/must not be after/);
    await expect(consistencyProof(nodes, 1, Number.NaN)).rejects.toThrow(RangeError);
    await expect(subtreeRoot(nodes, 5, 3)).rejects.toThrow(RangeError);
    await expect(subtreeRoot(nodes, -1, 3)).rejects.toThrow(RangeError);
    expect(await subtreeRoot(nodes, 3, 3)).toBe(EMPTY_ROOT);
  });

  it('for frontiers that do not describe a tree', () => {
    const leaf = eventHashes(1, 9);
    expect(() => appendToFrontier({ size: 8, nodes: [] }, leaf)).toThrow(/must have 1 nodes/);
    expect(() => appendToFrontier({ size: 3, nodes: frontier.nodes }, leaf)).toThrow(RangeError);
    expect(() => appendToFrontier({ size: -1, nodes: [] }, leaf)).toThrow(RangeError);
    expect(() => frontierRoot({ size: 1, nodes: ['x'] })).toThrow(RangeError);
    expect(() => appendToFrontier(frontier, ['not a hash'])).toThrow(/leaf hash 0/);
  });

  it('leaves the given frontier untouched', () => {
    const before = structuredClone(frontier);
    appendToFrontier(frontier, eventHashes(5, 4));
    expect(frontier).toEqual(before);
  });
});

describe('memoryNodes', () => {
  const leaves = eventHashes(6, 5);

  it('serves what was put, and grows with later appends', async () => {
    const first = appendToFrontier(EMPTY_FRONTIER, leaves.slice(0, 3));
    const store = memoryNodes(first.completed);
    await expect(store.node(1, 1)).rejects.toThrow('no stored node at level 1, index 1');
    store.put(appendToFrontier(first.frontier, leaves.slice(3)).completed);
    expect(await store.node(1, 1)).toBe(nodeHash(leaves[2] as string, leaves[3] as string));
    expect(await inclusionProof(store, 4, 6)).toHaveLength(2);
  });

  it('refuses to change a stored node, and accepts the same node again', () => {
    const { completed } = appendToFrontier(EMPTY_FRONTIER, leaves);
    const store = memoryNodes(completed);
    expect(() => store.put(completed)).not.toThrow();
    expect(() => store.put([{ level: 0, index: 2, hash: leaves[3] as string }])).toThrow(/different hash/);
  });

  it('proof building fails loudly when the store lacks a node or returns garbage', async () => {
    await expect(inclusionProof(memoryNodes(), 0, 4)).rejects.toThrow(/no stored node/);
    const broken: NodeReader = { node: () => Promise.resolve('oops') };
    await expect(inclusionProof(broken, 0, 4)).rejects.toThrow(/not a 32-byte hex hash/);
  });
});
