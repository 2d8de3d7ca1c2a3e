/**
 * Building signed checkpoints (issue 12, point 2), without any service: events chained as the store
 * chains them, the tree extended from a frontier run after run (what the job carries between runs), the
 * completed nodes kept in memory as the table keeps them, and a P-256 test signer shaped like the
 * evidence manifests' signer.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign as signBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_CHAINS, chainEvents, GENESIS_HASH, hashEvent } from '../../shared/domain/audit.ts';
import type { AuditEvent, AuditEventInput } from '../../shared/domain/audit.ts';
import { checkpointDocument, checkpointHash, checkpointMessage, verifyCheckpointSignature } from '../../shared/domain/checkpoint.ts';
import type { Checkpoint } from '../../shared/domain/checkpoint.ts';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.ts';
import { frontierRoot, leafHash, memoryNodes, rootOf, verifyConsistency } from '../../shared/domain/merkle.ts';
import {
  ChainBrokenError,
  consistencyBetween,
  EMPTY_TREE,
  extendTree,
  knownChain,
  publishedKey,
  signCheckpoint,
} from '../../shared/services/checkpoints.ts';
import type { CheckpointSigner, TreeState } from '../../shared/services/checkpoints.ts';

const CHAIN = 's07';

/** A signer like shared/aws/signer.ts's local one: P-256, SHA-256, DER in base64. */
function testSigner(): CheckpointSigner & { readonly publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyId = 'test:key-1';
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => Promise.resolve({ keyId, algorithm: 'ECDSA_SHA_256', value: signBytes('sha256', Buffer.from(message, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('base64') }),
    publicKey: () => Promise.resolve({ keyId, key: publicKey }),
  };
}

const inputs = (n: number, from = 0): AuditEventInput[] =>
  Array.from({ length: n }, (_, i) => ({ action: 'test.touch', entityType: 'Agency', entityId: `a-${from + i}`, change: { n: from + i } }));

/** `n` events of one chain, hashed and linked as the store does. */
function events(n: number): AuditEvent[] {
  return chainEvents({ chain: CHAIN, seq: 0, hash: GENESIS_HASH }, inputs(n), { at: '2026-12-01T00:00:00.000Z', requestId: 'r', actor: { sub: 's', name: '测试', groups: ['admin'] } });
}

describe('extending a chain\'s tree from its frontier', () => {
  it('gives RFC 9162\'s root over leafHash(event.hash), whatever the runs it is split into', () => {
    const all = events(23);
    const expected = rootOf(all.map((e) => leafHash(e.hash)));

    let state: TreeState = EMPTY_TREE;
    for (const [start, end] of [[0, 5], [5, 6], [6, 16], [16, 23]] as const) state = extendTree(CHAIN, state, all.slice(start, end));

    expect(state.frontier.size).toBe(23);
    expect(frontierRoot(state.frontier)).toBe(expected);
    expect(state.lastEventHash).toBe(all[22]!.hash);
  });

  it('the completed nodes it returns are enough for consistency proofs between checkpoint sizes', async () => {
    const all = events(40);
    const nodes = memoryNodes();
    const roots = new Map<number, string>();
    let state: TreeState = EMPTY_TREE;
    for (const size of [3, 8, 13, 32, 40]) {
      const extended = extendTree(CHAIN, state, all.slice(state.frontier.size, size));
      nodes.put(extended.completed);
      state = extended;
      roots.set(size, frontierRoot(state.frontier));
    }
    const checkpoint = (treeSize: number) => ({ chain: CHAIN, treeSize, rootHash: roots.get(treeSize)! }) as Checkpoint;

    for (const [from, to] of [[3, 8], [3, 40], [8, 13], [13, 32], [32, 40], [13, 13]] as const) {
      const answer = await consistencyBetween(nodes, checkpoint(from), checkpoint(to));
      expect(answer).toMatchObject({ chain: CHAIN, from, to, fromRoot: roots.get(from), toRoot: roots.get(to) });
      expect(verifyConsistency(from, to, answer.proof, answer.fromRoot, answer.toRoot), `${from}→${to}`).toBe(true);
    }
    await expect(consistencyBetween(nodes, checkpoint(13), checkpoint(8))).rejects.toMatchObject({ code: 'INVALID_RANGE' });
  });

  it('refuses a missing event, a broken link and an altered event, naming the seq', () => {
    const all = events(6);
    const state = extendTree(CHAIN, EMPTY_TREE, all.slice(0, 3));
    const broken = (list: AuditEvent[]): ChainBrokenError => {
      try {
        extendTree(CHAIN, state, list);
      } catch (error) {
        if (error instanceof ChainBrokenError) return error;
        throw error;
      }
      throw new Error('not refused');
    };

    expect(broken(all.slice(4))).toMatchObject({ chain: CHAIN, seq: 4 });
    const relinked = { ...all[3]!, prevHash: GENESIS_HASH };
    expect(broken([{ ...relinked, hash: hashEvent(relinked as unknown as Record<string, unknown>) }])).toMatchObject({ seq: 4 });
    expect(broken([{ ...all[3]!, change: { n: 'forged' } }]).message).toContain('内容与其哈希不符');
    // Nothing was appended on a refusal: the same state extends normally afterwards.
    expect(extendTree(CHAIN, state, all.slice(3)).frontier.size).toBe(6);
  });
});

describe('signing a checkpoint', () => {
  it('signs the canonical JSON of the body with the signer\'s key id in it; node:crypto verifies it', async () => {
    const signer = testSigner();
    const state = extendTree(CHAIN, EMPTY_TREE, events(5));

    const checkpoint = await signCheckpoint(signer, { chain: CHAIN, treeSize: 5, rootHash: frontierRoot(state.frontier), timestamp: '2026-12-01T01:05:00.000Z', previousHash: null });

    expect(checkpoint).toMatchObject({ chain: CHAIN, treeSize: 5, keyId: 'test:key-1', previousHash: null });
    expect(checkpointMessage(checkpoint)).toBe(
      `{"chain":"${CHAIN}","keyId":"test:key-1","previousHash":null,"rootHash":"${checkpoint.rootHash}","timestamp":"2026-12-01T01:05:00.000Z","treeSize":5}`,
    );
    const key = createPublicKey(signer.publicPem);
    expect(verify('sha256', Buffer.from(checkpointMessage(checkpoint)), { key, dsaEncoding: 'der' }, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
    expect(verifyCheckpointSignature(checkpoint, key)).toBe(true);
    expect(verifyCheckpointSignature({ ...checkpoint, treeSize: 6 }, key)).toBe(false);
    expect(verifyCheckpointSignature({ ...checkpoint, signature: 'not a signature' }, key)).toBe(false);
    // Another key's signature does not pass.
    expect(verifyCheckpointSignature(checkpoint, createPublicKey(testSigner().publicPem))).toBe(false);
  });

  it('links each checkpoint to the SHA-256 of the previous one\'s signed document', async () => {
    const signer = testSigner();
    const first = await signCheckpoint(signer, { chain: CHAIN, treeSize: 2, rootHash: 'a'.repeat(64), timestamp: 't1', previousHash: null });
    const second = await signCheckpoint(signer, { chain: CHAIN, treeSize: 3, rootHash: 'b'.repeat(64), timestamp: 't2', previousHash: checkpointHash(first) });

    expect(second.previousHash).toBe(createHash('sha256').update(checkpointDocument(first), 'utf8').digest('hex'));
    expect(JSON.parse(checkpointDocument(first))).toEqual(first);
    // The document covers the signature too: another signature is another link.
    expect(checkpointHash({ ...first, signature: second.signature })).not.toBe(second.previousHash);
  });

  it('refuses a signer that answers another key than the one it publishes', async () => {
    const signer = testSigner();
    const lying: CheckpointSigner = { ...signer, sign: async (m) => ({ ...(await signer.sign(m)), keyId: 'other' }) };
    await expect(signCheckpoint(lying, { chain: CHAIN, treeSize: 1, rootHash: 'a'.repeat(64), timestamp: 't', previousHash: null })).rejects.toThrow(/other/);
  });

  it('publishes the key as PEM and JWK of the same P-256 key', async () => {
    const signer = testSigner();
    const { keyId, key } = await signer.publicKey();

    const published = publishedKey(keyId, key);

    expect(published).toMatchObject({ keyId, algorithm: 'ECDSA_P256_SHA256', jwk: { kty: 'EC', crv: 'P-256', kid: keyId, alg: 'ES256' } });
    const fromJwk = createPublicKey({ key: published.jwk as never, format: 'jwk' });
    expect(fromJwk.export({ type: 'spki', format: 'pem' })).toBe(published.pem);
  });
});

describe('chains', () => {
  it('knows s00…s15 and main; anything else is UNKNOWN_CHAIN (400 in a query, 404 in a path)', () => {
    for (const chain of [...AUDIT_CHAINS, 'main']) expect(knownChain(chain, 'query')).toBe(chain);
    expect(() => knownChain('s16', 'query')).toThrow(ValidationError);
    expect(() => knownChain('s16', 'query')).toThrow(expect.objectContaining({ code: 'UNKNOWN_CHAIN' }));
    expect(() => knownChain('../x', 'path')).toThrow(NotFoundError);
  });
});
