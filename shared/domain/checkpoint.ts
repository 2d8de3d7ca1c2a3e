/**
 * Signed checkpoints of the audit chains (issue 12, points 2–3): for one chain, the size and RFC 9162
 * root of the Merkle tree over its events' hashes, the time, and the hash of the chain's previous
 * checkpoint, signed with the P-256 key that signs evidence manifests.
 *
 * What is signed is the canonical JSON (keys sorted, shared/domain/audit.ts) of the six body fields;
 * the signature is ECDSA P-256 over SHA-256 of those bytes, DER-encoded, in base64 — what KMS
 * `ECDSA_SHA_256` answers and what node:crypto's `verify('sha256', …, {dsaEncoding: 'der'})` checks.
 * A checkpoint's own hash (the next one's `previousHash`) is SHA-256 of the canonical JSON of all seven
 * fields, which is also the exact content of its locked copy in the checkpoints bucket: anyone holding
 * two checkpoints can check the link without trusting us.
 */
import { verify as verifyBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AUDIT_CHAINS, canonicalJson, LEGACY_CHAIN, sha256Hex } from './audit.ts';
import * as z from './z.ts';

/** How the public key is published (`GET /public/audit/key`). */
export const CHECKPOINT_ALGORITHM = 'ECDSA_P256_SHA256';

/** Every chain that can have checkpoints: the 16 chains, and the legacy `main`. */
export const CHECKPOINT_CHAINS: readonly string[] = [...AUDIT_CHAINS, LEGACY_CHAIN];

export interface UnsignedCheckpoint {
  readonly chain: string;
  readonly treeSize: number;
  /** RFC 9162 MTH (hex) over leafHash(event.hash) of events 1…treeSize of the chain. */
  readonly rootHash: string;
  readonly timestamp: string;
  /** checkpointHash of the chain's previous checkpoint; null for its first. */
  readonly previousHash: string | null;
  readonly keyId: string;
}

export interface Checkpoint extends UnsignedCheckpoint {
  /** Base64 of the DER-encoded ECDSA signature over checkpointMessage. */
  readonly signature: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const checkpointSchema = z
  .object({
    chain: z.string().meta({ description: '审计链：s00…s15，或拆分前的 main' }),
    treeSize: z.number().int().min(1).meta({ description: '树的大小：本链第 1 至第 treeSize 条事件' }),
    rootHash: hex64.meta({ description: 'RFC 9162 默克尔树根（叶子为各事件哈希）' }),
    timestamp: z.string(),
    previousHash: hex64.nullable().meta({ description: '本链上一检查点（含签名的规范 JSON）的 SHA-256；首个为 null' }),
    keyId: z.string(),
    signature: z.string().meta({ description: 'ECDSA P-256/SHA-256 签名（DER，base64），签名内容为不含 signature 的规范 JSON' }),
  })
  .meta({ id: 'Checkpoint' });

/** Picks exactly the body fields (a stored item carries table keys besides). */
export function unsignedBody(c: UnsignedCheckpoint): UnsignedCheckpoint {
  return { chain: c.chain, treeSize: c.treeSize, rootHash: c.rootHash, timestamp: c.timestamp, previousHash: c.previousHash, keyId: c.keyId };
}

export function signedCheckpoint(c: Checkpoint): Checkpoint {
  return { ...unsignedBody(c), signature: c.signature };
}

/** The bytes that are signed (as UTF-8). */
export const checkpointMessage = (c: UnsignedCheckpoint): string => canonicalJson(unsignedBody(c));

/** The signed checkpoint as one canonical JSON document: its locked copy's content. */
export const checkpointDocument = (c: Checkpoint): string => canonicalJson(signedCheckpoint(c));

/** SHA-256 hex of checkpointDocument: the next checkpoint's previousHash. */
export const checkpointHash = (c: Checkpoint): string => sha256Hex(checkpointDocument(c));

/** Checks the signature with the published key; false (never a throw) on anything malformed. */
export function verifyCheckpointSignature(c: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verifyBytes('sha256', Buffer.from(checkpointMessage(c), 'utf8'), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}
