/**
 * `npm run verify-log -- --url https://… [--state FILE] [--decision ID] [--chain sXX]`: check the
 * platform's audit log from the outside, with nothing but its public routes (issue 12, point 4). No
 * credentials, no table access: what anyone can run against `npm start` or the deployed API.
 *
 * 1. The signing key (`GET /public/audit/key`): PEM and JWK must be the same P-256 key; with a state
 *    file, it must be the key seen last time (a server that swapped its key could re-sign a forked log).
 * 2. Every chain's checkpoints (`GET /public/audit/checkpoints`, all pages), in tree-size order: each
 *    signature (ECDSA P-256 / SHA-256, DER, over the canonical JSON of the unsigned body), each
 *    `previousHash` (SHA-256 of the previous checkpoint's canonical JSON, signature included), and
 *    the consistency of each checkpoint with the one before (RFC 9162 §2.1.4 proofs fetched from
 *    `/public/audit/checkpoints/{chain}/{size}/consistency?from=N`): the log only ever grew.
 * 3. With `--state`, the last verified checkpoint per chain is remembered; the next run finds it again
 *    (a different root at the same size is a fork), checks consistency from it to the newest (a
 *    failed proof is a fork too), and refuses a newest checkpoint smaller than it (a rollback).
 * 4. With `--decision`, that decision's proof (`GET /public/decisions/{id}/proof`): each event's leaf
 *    is the hash of its event hash, its inclusion proof leads to the root of a signed checkpoint, and
 *    that checkpoint is the one the chain's verified list holds at that size.
 *
 * Exit codes: 0 intact; 1 tampering found (the first bad chain and position are printed); 2 usage or
 * nothing could be checked (bad arguments, a malformed state file, an unknown decision, the server
 * unreachable or failing).
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from '../../shared/domain/z.ts';
import { CHECKPOINT_ALGORITHM, CHECKPOINT_CHAINS, checkpointHash, checkpointSchema, verifyCheckpointSignature } from '../../shared/domain/checkpoint.ts';
import type { Checkpoint } from '../../shared/domain/checkpoint.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../shared/domain/merkle.ts';

// ---------------------------------------------------------------------------------------------
// What the public routes answer (checked, never trusted)
// ---------------------------------------------------------------------------------------------

const hex64 = z.string().regex(/^[0-9a-f]{64}$/i, { message: '应为 64 位十六进制哈希' });

const keyResponse = z.object({
  keyId: z.string().min(1),
  algorithm: z.literal(CHECKPOINT_ALGORITHM),
  pem: z.string().min(1),
  jwk: z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() }).loose(),
});

const checkpointPage = z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable().optional() });

const consistencyResponse = z.object({
  chain: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  fromRoot: hex64,
  toRoot: hex64,
  proof: z.array(hex64),
});

const proofResponse = z.object({
  id: z.string(),
  status: z.string(),
  events: z.array(
    z.object({
      chain: z.string(),
      seq: z.number().int().positive(),
      leafHash: hex64,
      eventHash: hex64,
      action: z.string(),
      at: z.string(),
      inclusion: z.object({ treeSize: z.number().int().positive(), proof: z.array(hex64) }).nullable(),
      checkpoint: z.unknown().nullable(),
    }),
  ),
});

/** What the verifier remembers between runs (the state file), validated on read. */
const rememberedCheckpoint = z.strictObject({
  treeSize: z.number().int().positive(),
  rootHash: hex64,
  /** SHA-256 of the checkpoint's canonical JSON with its signature: the value `previousHash` links to. */
  checkpointHash: hex64,
  timestamp: z.string(),
});
const stateSchema = z.strictObject({
  version: z.literal(1),
  url: z.string(),
  key: z.strictObject({ keyId: z.string().min(1), spkiSha256: hex64 }),
  chains: z.record(z.string().regex(/^[a-z0-9]{1,16}$/), rememberedCheckpoint),
  verifiedAt: z.string().optional(),
});
export type VerifierState = z.infer<typeof stateSchema>;

/** A malformed state file: a usage error (exit 2), never silently replaced. */
export class StateFileError extends Error {}

export function parseState(text: string): VerifierState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError('状态文件不是有效的 JSON / the state file is not valid JSON');
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StateFileError(`状态文件格式无效 / malformed state file: ${first?.path.join('.') || '(根)'} ${first?.message ?? ''}`.trim());
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Checks (pure)
// ---------------------------------------------------------------------------------------------

export const signatureValid = (key: KeyObject, c: Checkpoint): boolean => verifyCheckpointSignature(c, key);

/** The published key, with PEM and JWK checked to be one and the same P-256 key. */
export function publishedKey(body: z.infer<typeof keyResponse>): { key: KeyObject; spkiSha256: string } {
  const fromPem = createPublicKey(body.pem);
  const fromJwk = createPublicKey({ key: body.jwk as JsonWebKey, format: 'jwk' });
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  if (fromPem.asymmetricKeyType !== 'ec' || fromPem.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('not a P-256 key');
  if (!spki(fromPem).equals(spki(fromJwk))) throw new Error('PEM and JWK differ');
  return { key: fromPem, spkiSha256: createHash('sha256').update(spki(fromPem)).digest('hex') };
}

/** What the first checkpoint of a chain links to: nothing came before it. */
export const FIRST_PREVIOUS_HASH = null;

export type TamperingKind = 'KEY' | 'FORMAT' | 'SIGNATURE' | 'LINK' | 'ORDER' | 'INCONSISTENT' | 'FORK' | 'ROLLBACK' | 'INCLUSION';

/** The first bad position found: which chain, at which tree size (or event seq), and what. */
export interface Tampering {
  readonly kind: TamperingKind;
  readonly chain: string;
  /** Tree size of the checkpoint (or, for an inclusion, the event's seq). */
  readonly position: number;
  readonly message: string;
}

/** Nothing could be checked (exit 2): usage errors, an unreachable or failing server. */
export class CannotVerifyError extends Error {}

export interface Io {
  fetch(url: string, init?: { headers?: Record<string, string> }): Promise<{ status: number; text(): Promise<string> }>;
  out(line: string): void;
  err(line: string): void;
}

// ---------------------------------------------------------------------------------------------
// The public API, read defensively
// ---------------------------------------------------------------------------------------------

type Answer = { readonly status: number; readonly body: unknown };

class PublicApi {
  constructor(
    private readonly base: string,
    private readonly io: Io,
  ) {}

  async get(path: string): Promise<Answer> {
    let res: { status: number; text(): Promise<string> };
    let text: string;
    try {
      res = await this.io.fetch(`${this.base}${path}`, { headers: { accept: 'application/json' } });
      text = await res.text();
    } catch (e: unknown) {
      throw new CannotVerifyError(`无法访问 / cannot reach ${this.base}${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status >= 500) throw new CannotVerifyError(`服务器错误 / server error ${res.status} on ${path}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new CannotVerifyError(`应答不是 JSON / not a JSON answer (${res.status}) on ${path}`);
    }
    return { status: res.status, body };
  }

  /** A 2xx answer of the expected shape, or CannotVerifyError naming the route. */
  async json<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const { status, body } = await this.get(path);
    if (status >= 300) throw new CannotVerifyError(`${path} → ${status}: ${errorMessage(body)}`);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new CannotVerifyError(`应答格式不符 / unexpected answer on ${path}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
}

function errorMessage(body: unknown): string {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return e ? `${String(e.code)} ${String(e.message)}` : '';
}

// ---------------------------------------------------------------------------------------------
// One chain
// ---------------------------------------------------------------------------------------------

export interface ChainResult {
  readonly chain: string;
  /** The verified checkpoints, in tree-size order (empty when the chain has none yet). */
  readonly checkpoints: readonly Checkpoint[];
  readonly consistencyChecked: number;
  readonly tampering?: Tampering;
}

const MAX_PAGES = 100_000;

async function listCheckpoints(api: PublicApi, chain: string, from?: number): Promise<unknown[]> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({ chain, ...(from !== undefined ? { from: String(from) } : {}), limit: '100', ...(cursor ? { cursor } : {}) });
    const res = await api.json(`/public/audit/checkpoints?${q.toString()}`, checkpointPage);
    items.push(...res.items);
    cursor = res.nextCursor ?? undefined;
    if (!cursor) return items;
    if (seen.has(cursor)) throw new CannotVerifyError(`检查点分页游标重复 / the checkpoint pages loop (${chain})`);
    seen.add(cursor);
  }
  throw new CannotVerifyError(`检查点过多 / too many checkpoint pages (${chain})`);
}

/** Fetches a consistency proof and checks it against the two signed roots (never the roots it carries). */
async function consistent(api: PublicApi, chain: string, from: Checkpoint, to: Checkpoint): Promise<Tampering | undefined> {
  if (from.treeSize === 0) {
    return verifyConsistency(0, to.treeSize, [], from.rootHash, to.rootHash)
      ? undefined
      : { kind: 'INCONSISTENT', chain, position: to.treeSize, message: `大小为 0 的检查点根哈希不是空树的根 / a size-0 checkpoint with a non-empty root` };
  }
  const path = `/public/audit/checkpoints/${encodeURIComponent(chain)}/${to.treeSize}/consistency?from=${from.treeSize}`;
  const answer = await api.get(path);
  const parsed = consistencyResponse.safeParse(answer.body);
  const proof = answer.status < 300 && parsed.success && parsed.data.chain === chain && parsed.data.from === from.treeSize && parsed.data.to === to.treeSize ? parsed.data.proof : undefined;
  if (proof === undefined) {
    return { kind: 'INCONSISTENT', chain, position: to.treeSize, message: `服务器未给出从 ${from.treeSize} 到 ${to.treeSize} 的一致性证明 / no consistency proof served (${answer.status} ${errorMessage(answer.body)})` };
  }
  if (!verifyConsistency(from.treeSize, to.treeSize, proof, from.rootHash, to.rootHash)) {
    return {
      kind: 'FORK',
      chain,
      position: to.treeSize,
      message: `大小 ${to.treeSize} 的检查点与大小 ${from.treeSize} 的检查点不一致（日志被改写或分叉）/ checkpoint ${to.treeSize} is not an extension of checkpoint ${from.treeSize} (history rewritten or forked)`,
    };
  }
  return undefined;
}

/**
 * Verify one chain's checkpoints: format, key, signature, order, links, and the consistency of each
 * with the one before. With a remembered checkpoint, only those from it on are read: the first must be
 * that very checkpoint (same hash — so same size, root, time and signature), the rest extend it.
 */
export async function verifyChain(api: PublicApi, chain: string, key: { keyId: string; key: KeyObject }, remembered?: VerifierState['chains'][string]): Promise<ChainResult> {
  const raw = await listCheckpoints(api, chain, remembered?.treeSize);
  const checkpoints: Checkpoint[] = [];
  let consistencyChecked = 0;
  const result = (tampering?: Tampering): ChainResult => ({ chain, checkpoints, consistencyChecked, ...(tampering ? { tampering } : {}) });
  let prev: Checkpoint | undefined;
  for (const [i, item] of raw.entries()) {
    const parsed = checkpointSchema.safeParse(item);
    const position = parsed.success ? parsed.data.treeSize : (prev?.treeSize ?? remembered?.treeSize ?? 0);
    if (!parsed.success) return result({ kind: 'FORMAT', chain, position, message: `第 ${i + 1} 个检查点格式无效 / checkpoint #${i + 1} is malformed: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` });
    const c = parsed.data;
    if (c.chain !== chain) return result({ kind: 'FORMAT', chain, position, message: `检查点属于链 ${c.chain} / the checkpoint belongs to chain ${c.chain}` });
    if (c.keyId !== key.keyId) return result({ kind: 'KEY', chain, position, message: `检查点由未公布的密钥 ${c.keyId} 签名 / signed with a key that is not the published one` });
    if (!signatureValid(key.key, c)) return result({ kind: 'SIGNATURE', chain, position, message: '签名无效（检查点被改动）/ the signature does not verify (the checkpoint was altered)' });
    if (prev) {
      if (c.treeSize <= prev.treeSize) return result({ kind: 'ORDER', chain, position, message: `检查点大小未递增（前一个为 ${prev.treeSize}）/ tree size not increasing (previous ${prev.treeSize})` });
      if (c.timestamp < prev.timestamp) return result({ kind: 'ORDER', chain, position, message: `检查点时间早于前一个（${prev.timestamp}）/ timestamp before the previous checkpoint's` });
      if (c.previousHash !== checkpointHash(prev)) return result({ kind: 'LINK', chain, position, message: `previousHash 与大小 ${prev.treeSize} 的检查点不符（检查点被替换或删除）/ previousHash does not match checkpoint ${prev.treeSize} (replaced or removed)` });
    } else if (remembered) {
      // The checkpoint verified last time, unchanged, must still be there.
      if (c.treeSize !== remembered.treeSize || c.rootHash !== remembered.rootHash) {
        return result({
          kind: 'FORK',
          chain,
          position: remembered.treeSize,
          message:
            c.treeSize === remembered.treeSize
              ? `大小 ${remembered.treeSize} 的根哈希与上次验证的不同（分叉）/ a different root at the size verified last time (fork): ${c.rootHash} ≠ ${remembered.rootHash}`
              : `上次验证的大小 ${remembered.treeSize} 的检查点已不存在（分叉或被替换）/ the checkpoint verified last time is gone (fork or replacement)`,
        });
      }
      if (checkpointHash(c) !== remembered.checkpointHash) {
        return result({ kind: 'FORK', chain, position: remembered.treeSize, message: '上次验证的检查点被重新签发（时间或签名不同）/ the checkpoint verified last time was re-issued' });
      }
    } else if (c.previousHash !== FIRST_PREVIOUS_HASH) {
      return result({ kind: 'LINK', chain, position, message: '第一个检查点之前还有检查点（前面的检查点被删除）/ the first checkpoint links to an earlier one (earlier checkpoints removed)' });
    }
    checkpoints.push(c);
    prev = c;
  }

  const newest = checkpoints.at(-1);
  if (remembered && !newest) {
    return result({
      kind: 'ROLLBACK',
      chain,
      position: remembered.treeSize,
      message: `没有大小不小于上次验证的 ${remembered.treeSize} 的检查点（日志被回滚）/ no checkpoint as large as the one verified last time (rollback)`,
    });
  }

  // Append-only: each checkpoint extends the one before.
  for (let i = 1; i < checkpoints.length; i++) {
    const bad = await consistent(api, chain, checkpoints[i - 1]!, checkpoints[i]!);
    consistencyChecked += 1;
    if (bad) return result(bad);
  }
  // And directly from the remembered one to the newest, as a client of a transparency log does
  // (when other checkpoints lie between them; otherwise that was the pair above).
  if (remembered && newest && checkpoints.length > 2) {
    const bad = await consistent(api, chain, checkpoints[0]!, newest);
    consistencyChecked += 1;
    if (bad) return result(bad);
  }
  return result();
}

// ---------------------------------------------------------------------------------------------
// A decision's proof
// ---------------------------------------------------------------------------------------------

export interface DecisionResult {
  readonly id: string;
  readonly status: string;
  readonly proven: number;
  readonly notYetCovered: number;
  readonly events: number;
  readonly tampering?: Tampering;
}

async function fetchDecisionProof(api: PublicApi, id: string): Promise<z.infer<typeof proofResponse>> {
  const path = `/public/decisions/${encodeURIComponent(id)}/proof`;
  const answer = await api.get(path);
  if (answer.status === 404 || answer.status === 400) throw new CannotVerifyError(`未找到决定 ${id} / no such decision: ${errorMessage(answer.body)}`);
  if (answer.status >= 300) throw new CannotVerifyError(`${path} → ${answer.status}: ${errorMessage(answer.body)}`);
  const parsed = proofResponse.safeParse(answer.body);
  if (!parsed.success) throw new CannotVerifyError(`决定证明格式不符 / unexpected proof format: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Each event: leaf = H(event hash), included in a signed checkpoint that the verified chain holds. */
export function checkDecisionProof(
  proof: z.infer<typeof proofResponse>,
  key: { keyId: string; key: KeyObject },
  verified: ReadonlyMap<string, readonly Checkpoint[]>,
): DecisionResult {
  let proven = 0;
  let notYetCovered = 0;
  const done = (tampering?: Tampering): DecisionResult => ({ id: proof.id, status: proof.status, proven, notYetCovered, events: proof.events.length, ...(tampering ? { tampering } : {}) });
  for (const e of proof.events) {
    const at = { chain: e.chain, position: e.seq };
    if (leafHash(e.eventHash) !== e.leafHash.toLowerCase()) return done({ kind: 'INCLUSION', ...at, message: `事件 ${e.chain}#${e.seq} 的叶子哈希与事件哈希不符 / leaf hash is not H(event hash)` });
    if (!e.inclusion) {
      notYetCovered += 1;
      continue;
    }
    const cp = checkpointSchema.safeParse(e.checkpoint);
    if (!cp.success) return done({ kind: 'FORMAT', ...at, message: `事件 ${e.chain}#${e.seq} 的检查点格式无效 / malformed checkpoint in the proof` });
    const c = cp.data;
    if (c.chain !== e.chain || c.treeSize !== e.inclusion.treeSize) return done({ kind: 'FORMAT', ...at, message: `事件 ${e.chain}#${e.seq} 的证明与其检查点不对应 / the proof and its checkpoint disagree` });
    if (c.keyId !== key.keyId || !signatureValid(key.key, c)) return done({ kind: 'SIGNATURE', ...at, message: `事件 ${e.chain}#${e.seq} 所用检查点签名无效 / the proof's checkpoint signature does not verify` });
    const listed = verified.get(e.chain)?.find((x) => x.treeSize === c.treeSize);
    if (!listed || checkpointHash(listed) !== checkpointHash(c)) {
      return done({ kind: 'FORK', ...at, message: `证明所用的检查点（大小 ${c.treeSize}）不在该链公布的检查点序列中 / the proof's checkpoint is not in the chain's published sequence` });
    }
    if (!verifyInclusion(e.leafHash, e.seq - 1, c.treeSize, e.inclusion.proof, c.rootHash)) {
      return done({ kind: 'INCLUSION', ...at, message: `事件 ${e.chain}#${e.seq} 不在大小 ${c.treeSize} 的检查点中（包含证明无效）/ inclusion proof does not lead to the signed root` });
    }
    proven += 1;
  }
  return done();
}

// ---------------------------------------------------------------------------------------------
// The whole run
// ---------------------------------------------------------------------------------------------

export interface VerifyOptions {
  readonly url: string;
  /** Chains to check; default: every chain (or, with `decision`, the chains of its events). */
  readonly chains?: readonly string[];
  readonly decision?: string;
  readonly state?: VerifierState;
}

export interface VerifyReport {
  readonly code: 0 | 1;
  readonly tampering?: Tampering;
  readonly chains: readonly ChainResult[];
  readonly decision?: DecisionResult;
  /** The state to remember: intact chains advanced to their newest checkpoint, others as they were; none when the key itself failed. */
  readonly state?: VerifierState;
}

const FAILURE_LABEL: Record<TamperingKind, string> = {
  KEY: '密钥不符 / KEY',
  FORMAT: '格式无效 / FORMAT',
  SIGNATURE: '签名无效 / SIGNATURE',
  LINK: '链接断裂 / LINK',
  ORDER: '顺序错乱 / ORDER',
  INCONSISTENT: '无一致性证明 / INCONSISTENT',
  FORK: '分叉 / FORK',
  ROLLBACK: '回滚 / ROLLBACK',
  INCLUSION: '包含证明无效 / INCLUSION',
};

const describe = (t: Tampering): string => `${t.chain} @ ${t.position} (${FAILURE_LABEL[t.kind]}): ${t.message}`;

export async function verifyLog(options: VerifyOptions, io: Io): Promise<VerifyReport> {
  const base = options.url.replace(/\/+$/, '');
  const api = new PublicApi(base, io);
  const keyBody = await api.json('/public/audit/key', keyResponse);
  let published: { key: KeyObject; spkiSha256: string };
  try {
    published = publishedKey(keyBody);
  } catch (e: unknown) {
    const tampering: Tampering = { kind: 'KEY', chain: '*', position: 0, message: `公布的公钥无效 / the published key is invalid: ${e instanceof Error ? e.message : String(e)}` };
    return { code: 1, tampering, chains: [] };
  }
  const key = { keyId: keyBody.keyId, key: published.key };
  io.out(`公钥 / key: ${keyBody.keyId} (${keyBody.algorithm}, SPKI SHA-256 ${published.spkiSha256.slice(0, 16)}…)`);
  const previous = options.state;
  if (previous && (previous.key.keyId !== keyBody.keyId || previous.key.spkiSha256 !== published.spkiSha256)) {
    const tampering: Tampering = {
      kind: 'KEY',
      chain: '*',
      position: 0,
      message: `签名公钥与上次验证时不同（上次 ${previous.key.keyId}，SPKI ${previous.key.spkiSha256.slice(0, 16)}…）/ the signing key changed since the last run; if the operator announced a new key, start a new state file`,
    };
    return { code: 1, tampering, chains: [] };
  }

  // The proof first, then the chains: any checkpoint the proof uses was written before the listing.
  const proof = options.decision !== undefined ? await fetchDecisionProof(api, options.decision) : undefined;
  // The decision's chains are always checked too: its proof is only as good as their checkpoints.
  const chains = [...new Set([...(options.chains ?? (proof ? [] : CHECKPOINT_CHAINS)), ...(proof?.events.map((e) => e.chain) ?? [])])].sort();

  const results = await Promise.all(chains.map((chain) => verifyChain(api, chain, key, previous?.chains[chain])));
  const state: VerifierState = { version: 1, url: base, key: { keyId: keyBody.keyId, spkiSha256: published.spkiSha256 }, chains: { ...(previous?.chains ?? {}) }, verifiedAt: new Date().toISOString() };
  let first: Tampering | undefined;
  for (const r of results) {
    const newest = r.checkpoints.at(-1);
    if (r.tampering) {
      first ??= r.tampering;
      io.err(`  ${r.chain}: 发现篡改 / TAMPERING ${describe(r.tampering)}`);
      continue;
    }
    if (!newest) {
      io.out(`  ${r.chain}: 尚无检查点 / no checkpoint yet`);
      continue;
    }
    state.chains[r.chain] = { treeSize: newest.treeSize, rootHash: newest.rootHash, checkpointHash: checkpointHash(newest), timestamp: newest.timestamp };
    const since = previous?.chains[r.chain] ? `，自上次 / since last run ${previous.chains[r.chain]!.treeSize}` : '';
    io.out(`  ${r.chain}: ${r.checkpoints.length} 个检查点 / checkpoints, 最新 / newest ${newest.treeSize} 条 / events (${newest.timestamp})${since}，一致性证明 / consistency proofs ${r.consistencyChecked} — 完整 / intact`);
  }

  let decision: DecisionResult | undefined;
  if (proof) {
    decision = checkDecisionProof(proof, key, new Map(results.filter((r) => !r.tampering).map((r) => [r.chain, r.checkpoints])));
    if (decision.tampering) {
      first ??= decision.tampering;
      io.err(`  决定 / decision ${decision.id}: 发现篡改 / TAMPERING ${describe(decision.tampering)}`);
    } else {
      io.out(`  决定 / decision ${decision.id} (${decision.status}): ${decision.proven}/${decision.events} 个事件已由签名检查点证明 / events proven by signed checkpoints${decision.notYetCovered ? `，${decision.notYetCovered} 个尚未被检查点覆盖 / not yet covered by a checkpoint` : ''}`);
      if (decision.events === 0) io.err('  注意 / note: 该决定没有审计事件引用（可能在此功能上线前公示）/ the decision lists no audit events (published before proofs existed?)');
    }
  }
  return { code: first ? 1 : 0, ...(first ? { tampering: first } : {}), chains: results, ...(decision ? { decision } : {}), state };
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

const USAGE = `用法 / usage:
  npm run verify-log -- --url URL [--state FILE] [--decision ID] [--chain sXX]...
  --url       平台地址，如 http://localhost:3000 或 https://… / the platform's address
  --state     记住每条链上次验证的检查点，下次检查分叉与回滚 / remember the last verified checkpoint per chain
  --decision  同时查验该公示决定的包含证明 / also check this published decision's inclusion proofs
  --chain     只查验这些链（默认全部）/ only these chains (default: all)
退出码 / exit codes: 0 完整 / intact, 1 发现篡改 / tampering found, 2 用法错误或无法查验 / usage, or nothing could be checked`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readState(file: string): Promise<VerifierState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`无法读取状态文件 / cannot read the state file: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseState(text);
}

async function writeState(file: string, state: VerifierState): Promise<void> {
  // Write, then rename: an interrupted run never leaves a half-written state behind.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  await rename(tmp, file);
}

const defaultIo: Io = {
  fetch: (url, init) => fetch(url, init),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** The command: parse, read the state, verify, report, remember. Returns the exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let values: { url?: string | undefined; state?: string | undefined; decision?: string | undefined; chain?: string[] | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { url: { type: 'string' }, state: { type: 'string' }, decision: { type: 'string' }, chain: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e: unknown) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const usage = (message: string): number => {
    io.err(`${message}\n${USAGE}`);
    return 2;
  };
  if (!values.url) return usage('缺少 --url / --url is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    return usage(`地址无效 / not a URL: ${values.url}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return usage(`地址须为 http 或 https / the URL must be http(s): ${values.url}`);
  const base = url.href.replace(/\/+$/, '');
  const unknown = (values.chain ?? []).filter((c) => !CHECKPOINT_CHAINS.includes(c));
  if (unknown.length) return usage(`未知的审计链 / unknown chain: ${unknown.join(', ')}（应为 / expected ${CHECKPOINT_CHAINS.join(', ')}）`);
  if (values.decision !== undefined && !UUID.test(values.decision)) return usage(`决定编号格式无效 / not a decision id: ${values.decision}`);

  let state: VerifierState | undefined;
  const stateFile = values.state ? resolve(values.state) : undefined;
  if (stateFile) {
    try {
      state = await readState(stateFile);
    } catch (e: unknown) {
      if (e instanceof StateFileError) return usage(`${e.message} (${stateFile})`);
      throw e;
    }
    if (state && state.url !== base) return usage(`状态文件记录的是另一个地址 / the state file belongs to ${state.url}, not ${base}`);
  }

  io.out(`查验审计日志 / verifying the audit log → ${base}${state ? `（上次 / last run ${state.verifiedAt ?? '?'}）` : stateFile ? '（首次运行 / first run）' : ''}`);
  let report: VerifyReport;
  try {
    report = await verifyLog({ url: base, ...(values.chain?.length ? { chains: values.chain } : {}), ...(values.decision ? { decision: values.decision } : {}), ...(state ? { state } : {}) }, io);
  } catch (e: unknown) {
    if (e instanceof CannotVerifyError) {
      io.err(`无法查验 / cannot verify: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (stateFile && report.state) await writeState(stateFile, report.state);
  if (report.tampering) {
    io.err(`发现篡改 / TAMPERING FOUND at ${describe(report.tampering)}`);
    return 1;
  }
  const total = report.chains.reduce((n, c) => n + c.checkpoints.length, 0);
  io.out(`审计日志完整 / log intact: ${report.chains.length} 条链 / chains, ${total} 个签名检查点 / signed checkpoints${stateFile ? `；状态已保存 / state saved to ${stateFile}` : ''}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`无法查验 / cannot verify: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(2);
    },
  );
}
