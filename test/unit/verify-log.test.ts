/**
 * The public verifier (issue 12, point 4) against a fake server: checkpoints signed with a P-256 test
 * key, trees and proofs from merkle.ts, a fake fetch serving the public routes. No network.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointHash, checkpointMessage } from '../../shared/domain/checkpoint.ts';
import type { Checkpoint } from '../../shared/domain/checkpoint.ts';
import { appendToFrontier, consistencyProof, EMPTY_FRONTIER, frontierRoot, inclusionProof, leafHash, memoryNodes } from '../../shared/domain/merkle.ts';
import { proofOfEvent } from '../../shared/services/decision-proof.ts';
import { main, parseState } from '../../local/cli/verify-log.ts';
import type { Io } from '../../local/cli/verify-log.ts';

const URL_BASE = 'http://verify.test';
const DECISION_ID = '3f0c2a6e-8d4b-4c1e-9a7f-2b5d6e8f9a01';

const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');

/** A log as a server would hold it: events per chain, signed checkpoints, stored nodes. */
class FakeLog {
  readonly events = new Map<string, string[]>();
  readonly checkpoints = new Map<string, Checkpoint[]>();
  /** Per chain, the consistency proofs to serve instead of the right ones (tampering). */
  readonly badConsistency = new Set<string>();
  decisionEvents: { chain: string; seq: number; action: 'decision.publish' | 'decision.correct' | 'decision.withdraw' }[] = [];
  proofOverride: ((body: Record<string, unknown>) => Record<string, unknown>) | undefined;
  keyOverride: Record<string, unknown> | undefined;
  requests: string[] = [];

  constructor(
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly keyId = 'test-key',
  ) {}

  append(chain: string, count: number): void {
    const list = this.events.get(chain) ?? [];
    for (let i = 0; i < count; i++) list.push(hashOf(`${chain}#${list.length + 1}#${randomBytes(4).toString('hex')}`));
    this.events.set(chain, list);
  }

  private nodesOf(chain: string, size = this.events.get(chain)?.length ?? 0) {
    const leaves = (this.events.get(chain) ?? []).slice(0, size).map((h) => leafHash(h));
    return { nodes: memoryNodes(appendToFrontier(EMPTY_FRONTIER, leaves).completed), root: frontierRoot(appendToFrontier(EMPTY_FRONTIER, leaves).frontier) };
  }

  signed(body: Omit<Checkpoint, 'signature' | 'keyId'>, key = this.privateKey): Checkpoint {
    const unsigned = { ...body, keyId: this.keyId };
    const signature = sign('sha256', Buffer.from(checkpointMessage(unsigned), 'utf8'), { key, dsaEncoding: 'der' }).toString('base64');
    return { ...unsigned, signature };
  }

  /** A checkpoint of the chain as it is now, linked to the previous one. */
  checkpoint(chain: string, timestamp = new Date(Date.UTC(2026, 0, 1, this.checkpoints.get(chain)?.length ?? 0)).toISOString()): Checkpoint {
    const list = this.checkpoints.get(chain) ?? [];
    const size = this.events.get(chain)?.length ?? 0;
    const prev = list.at(-1);
    const c = this.signed({ chain, treeSize: size, rootHash: this.nodesOf(chain).root, timestamp, previousHash: prev ? checkpointHash(prev) : null });
    list.push(c);
    this.checkpoints.set(chain, list);
    return c;
  }

  private async answer(url: URL): Promise<[number, unknown]> {
    const path = url.pathname;
    if (path === '/public/audit/key') {
      return [200, this.keyOverride ?? { keyId: this.keyId, algorithm: 'ECDSA_P256_SHA256', pem: this.publicKey.export({ format: 'pem', type: 'spki' }), jwk: this.publicKey.export({ format: 'jwk' }) }];
    }
    if (path === '/public/audit/checkpoints') {
      const chain = url.searchParams.get('chain') ?? '';
      const from = Number(url.searchParams.get('from') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const all = (this.checkpoints.get(chain) ?? []).filter((c) => c.treeSize >= from);
      const items = all.slice(offset, offset + limit);
      return [200, { items, nextCursor: offset + limit < all.length ? String(offset + limit) : null }];
    }
    const consistency = /^\/public\/audit\/checkpoints\/([^/]+)\/(\d+)\/consistency$/.exec(path);
    if (consistency) {
      const chain = consistency[1]!;
      const to = Number(consistency[2]);
      const from = Number(url.searchParams.get('from'));
      const list = this.checkpoints.get(chain) ?? [];
      const a = list.find((c) => c.treeSize === from);
      const b = list.find((c) => c.treeSize === to);
      if (!a || !b) return [404, { error: { code: 'NOT_FOUND', message: '没有该检查点' } }];
      let proof = await consistencyProof(this.nodesOf(chain, to).nodes, from, to);
      if (this.badConsistency.has(chain)) proof = proof.map(() => hashOf('forged'));
      return [200, { chain, from, to, fromRoot: a.rootHash, toRoot: b.rootHash, proof }];
    }
    if (path === `/public/decisions/${DECISION_ID}/proof`) {
      const events = await Promise.all(
        this.decisionEvents.map(({ chain, seq, action }) => {
          const latest = this.checkpoints.get(chain)?.at(-1);
          const eventHash = this.events.get(chain)![seq - 1]!;
          return proofOfEvent({ chain, seq, eventHash, action, at: '2026-01-01T00:00:00.000Z' }, latest, this.nodesOf(chain, latest?.treeSize ?? 0).nodes);
        }),
      );
      const body = { id: DECISION_ID, status: 'PUBLIC', events };
      return [200, this.proofOverride ? this.proofOverride(body) : body];
    }
    if (path.startsWith('/public/decisions/')) return [404, { error: { code: 'NOT_FOUND', message: '未找到该公示决定' } }];
    return [404, { error: { code: 'NOT_FOUND', message: 'no route' } }];
  }

  io(): Io & { lines: string[]; errors: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    return {
      lines,
      errors,
      fetch: async (href) => {
        const url = new URL(href);
        this.requests.push(`${url.pathname}${url.search}`);
        const [status, body] = await this.answer(url);
        return { status, text: async () => JSON.stringify(body) };
      },
      out: (line) => lines.push(line),
      err: (line) => errors.push(line),
    };
  }
}

const newKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

let log: FakeLog;
let dir: string;

beforeEach(async () => {
  const { privateKey, publicKey } = newKey();
  log = new FakeLog(privateKey, publicKey);
  for (const [chain, sizes] of [
    ['s00', [3, 4, 5]],
    ['s07', [1, 7]],
  ] as const) {
    for (const n of sizes) {
      log.append(chain, n);
      log.checkpoint(chain);
    }
  }
  dir = await mkdtemp(join(tmpdir(), 'verify-log-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const io = log.io();
  const code = await main(['--url', URL_BASE, ...args], io);
  return { code, out: io.lines.join('\n'), err: io.errors.join('\n') };
};

describe('verify-log: checkpoints', () => {
  it('an intact log: every signature, link and consecutive consistency checks out (exit 0)', async () => {
    const res = await run();
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('审计日志完整 / log intact');
    expect(res.out).toMatch(/s00: 3 个检查点.*最新 \/ newest 12/);
    expect(res.out).toMatch(/s07: 2 个检查点/);
    // One consistency proof per consecutive pair: s00 (3→7, 7→12) and s07 (1→8).
    expect(log.requests.filter((r) => r.includes('/consistency'))).toHaveLength(3);
  });

  it('a checkpoint whose root was rewritten in the table fails its signature (exit 1, chain and size named)', async () => {
    const list = log.checkpoints.get('s00')!;
    list[1] = { ...list[1]!, rootHash: hashOf('rewritten') };
    const res = await run();
    expect(res.code).toBe(1);
    expect(res.err).toContain('发现篡改 / TAMPERING FOUND at s00 @ 7');
    expect(res.err).toContain('SIGNATURE');
  });

  it('a removed checkpoint breaks the next one’s previousHash; a removed first one is found too', async () => {
    const list = log.checkpoints.get('s00')!;
    list.splice(1, 1);
    const res = await run();
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/s00 @ 12 \(链接断裂 \/ LINK\)/);

    log.checkpoints.get('s07')!.shift();
    list.splice(0, list.length);
    const first = await run('--chain', 's07');
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/s07 @ 8 \(链接断裂 \/ LINK\)/);
  });

  it('a consistency proof that does not connect two signed roots is a fork', async () => {
    log.badConsistency.add('s07');
    const res = await run();
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/s07 @ 8 \(分叉 \/ FORK\)/);
  });

  it('a history re-signed with another root (an edited event) passes alone, but not against what was remembered', async () => {
    const state = join(dir, 'state.json');
    expect((await run('--state', state)).code).toBe(0);
    const remembered = parseState(await readFile(state, 'utf8'));
    expect(remembered.chains.s00).toMatchObject({ treeSize: 12 });

    // The operator edits event 2 of s00 and re-signs every checkpoint with the real key.
    log.events.get('s00')![1] = hashOf('edited event');
    const sizes = log.checkpoints.get('s00')!.map((c) => c.treeSize);
    const events = log.events.get('s00')!;
    log.checkpoints.set('s00', []);
    log.events.set('s00', []);
    for (const size of sizes) {
      log.events.set('s00', events.slice(0, size));
      log.checkpoint('s00', new Date(Date.UTC(2026, 1, 1, size)).toISOString());
    }
    expect((await run()).code).toBe(0); // without memory, a consistent rewrite cannot be told apart
    const res = await run('--state', state);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/s00 @ 12 \(分叉 \/ FORK\).*根哈希与上次验证的不同/);
    // The state keeps the last good checkpoint of the forked chain.
    expect(parseState(await readFile(state, 'utf8')).chains.s00).toEqual(remembered.chains.s00);
  });

  it('a rollback (newest smaller than remembered) is reported with the remembered position', async () => {
    const state = join(dir, 'state.json');
    expect((await run('--state', state)).code).toBe(0);
    log.checkpoints.get('s00')!.pop();
    const res = await run('--state', state);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/s00 @ 12 \(回滚 \/ ROLLBACK\)/);
  });

  it('the next run reads from the remembered checkpoint and proves the growth since (state advances)', async () => {
    const state = join(dir, 'state.json');
    expect((await run('--state', state)).code).toBe(0);
    log.append('s00', 9);
    log.checkpoint('s00');
    log.append('s00', 4);
    log.checkpoint('s00');
    log.requests = [];
    const res = await run('--state', state, '--chain', 's00');
    expect(res.code, res.err).toBe(0);
    expect(log.requests).toContain('/public/audit/checkpoints?chain=s00&from=12&limit=100');
    // 12→21, 21→25, and directly 12→25.
    expect(log.requests.filter((r) => r.includes('/consistency'))).toEqual([
      '/public/audit/checkpoints/s00/21/consistency?from=12',
      '/public/audit/checkpoints/s00/25/consistency?from=21',
      '/public/audit/checkpoints/s00/25/consistency?from=12',
    ]);
    expect(parseState(await readFile(state, 'utf8')).chains.s00).toMatchObject({ treeSize: 25 });
  });

  it('reads every page of a long list', async () => {
    for (let i = 0; i < 230; i++) {
      log.append('s03', 1);
      log.checkpoint('s03', new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString());
    }
    const res = await run('--chain', 's03');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/s03: 230 个检查点/);
  });
});

describe('verify-log: the key', () => {
  it('a checkpoint signed by another key, a changed key since the last run, PEM and JWK that differ: exit 1', async () => {
    const other = newKey();
    const list = log.checkpoints.get('s07')!;
    list[1] = log.signed({ ...list[1]! }, other.privateKey);
    expect((await run()).err).toMatch(/s07 @ 8 \(签名无效 \/ SIGNATURE\)/);

    const fresh = newKey();
    log = new FakeLog(fresh.privateKey, fresh.publicKey);
    log.append('s00', 2);
    log.checkpoint('s00');
    const state = join(dir, 'state.json');
    expect((await run('--state', state)).code).toBe(0);
    const swapped = newKey();
    log.keyOverride = { keyId: 'test-key', algorithm: 'ECDSA_P256_SHA256', pem: swapped.publicKey.export({ format: 'pem', type: 'spki' }), jwk: swapped.publicKey.export({ format: 'jwk' }) };
    const pinned = await readFile(state, 'utf8');
    const changed = await run('--state', state);
    expect(changed.code).toBe(1);
    expect(changed.err).toContain('签名公钥与上次验证时不同');
    expect(await readFile(state, 'utf8')).toBe(pinned);

    log.keyOverride = { keyId: 'test-key', algorithm: 'ECDSA_P256_SHA256', pem: fresh.publicKey.export({ format: 'pem', type: 'spki' }), jwk: swapped.publicKey.export({ format: 'jwk' }) };
    const mismatch = await run();
    expect(mismatch.code).toBe(1);
    expect(mismatch.err).toContain('PEM and JWK differ');
  });
});

describe('verify-log: a decision', () => {
  beforeEach(() => {
    log.decisionEvents = [
      { chain: 's07', seq: 2, action: 'decision.publish' },
      { chain: 's07', seq: 6, action: 'decision.correct' },
    ];
  });

  it('checks each event’s inclusion in the signed checkpoint of the verified chain', async () => {
    const res = await run('--decision', DECISION_ID);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain(`决定 / decision ${DECISION_ID} (PUBLIC): 2/2 个事件已由签名检查点证明`);
    // Only the decision's chain is listed.
    expect(log.requests.some((r) => r.includes('chain=s00'))).toBe(false);
  });

  it('an event not yet covered by a checkpoint is reported, not failed', async () => {
    log.append('s07', 1);
    log.decisionEvents.push({ chain: 's07', seq: 9, action: 'decision.withdraw' });
    const res = await run('--decision', DECISION_ID);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('1 个尚未被检查点覆盖');
  });

  it('a bad inclusion proof, a leaf that is not the event hash, a checkpoint outside the published list: exit 1', async () => {
    type Body = { events: { inclusion: { proof: string[] }; leafHash: string; checkpoint: Checkpoint }[] };
    log.proofOverride = (body) => {
      const b = structuredClone(body) as unknown as Body;
      b.events[1]!.inclusion.proof[0] = hashOf('x');
      return b as unknown as Record<string, unknown>;
    };
    const bad = await run('--decision', DECISION_ID);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/s07 @ 6 \(包含证明无效 \/ INCLUSION\)/);

    log.proofOverride = (body) => {
      const b = structuredClone(body) as unknown as Body;
      b.events[0]!.leafHash = hashOf('another leaf');
      return b as unknown as Record<string, unknown>;
    };
    expect((await run('--decision', DECISION_ID)).err).toMatch(/s07 @ 2 \(包含证明无效 \/ INCLUSION\)/);

    // A checkpoint signed with the real key but never published in the chain's list (a split view).
    log.proofOverride = (body) => {
      const b = structuredClone(body) as unknown as Body;
      const c = b.events[0]!.checkpoint;
      b.events[0]!.checkpoint = log.signed({ chain: c.chain, treeSize: c.treeSize, rootHash: c.rootHash, timestamp: '2030-01-01T00:00:00.000Z', previousHash: c.previousHash });
      return b as unknown as Record<string, unknown>;
    };
    expect((await run('--decision', DECISION_ID)).err).toMatch(/s07 @ 2 \(分叉 \/ FORK\)/);
  });

  it('an unknown decision is a usage error (exit 2)', async () => {
    const res = await run('--decision', '00000000-0000-4000-8000-000000000000');
    expect(res.code).toBe(2);
    expect(res.err).toContain('未找到决定');
  });
});

describe('verify-log: usage and state file', () => {
  it('exit 2 without --url, with an unknown chain, a bad decision id, an unknown option', async () => {
    const io = log.io();
    expect(await main([], io)).toBe(2);
    expect(io.errors.join('\n')).toContain('缺少 --url');
    expect((await run('--chain', 's16')).code).toBe(2);
    expect((await run('--decision', 'not-an-id')).code).toBe(2);
    expect((await run('--verbose')).code).toBe(2);
    expect(await main(['--url', 'ftp://x'], log.io())).toBe(2);
  });

  it('a malformed state file is exit 2 with a clear message, and is left as it was', async () => {
    const state = join(dir, 'state.json');
    for (const [content, message] of [
      ['{not json', '不是有效的 JSON'],
      [JSON.stringify({ version: 1, url: URL_BASE, key: { keyId: 'k', spkiSha256: 'zz' }, chains: {} }), 'key.spkiSha256'],
      [JSON.stringify({ version: 1, url: URL_BASE, key: { keyId: 'k', spkiSha256: 'a'.repeat(64) }, chains: { s00: { treeSize: -1, rootHash: 'a'.repeat(64), checkpointHash: 'a'.repeat(64), timestamp: 't' } } }), 'chains.s00.treeSize'],
      [JSON.stringify({ version: 2 }), '状态文件格式无效'],
    ] as const) {
      await writeFile(state, content);
      const res = await run('--state', state);
      expect(res.code, content).toBe(2);
      expect(res.err).toContain(message);
      expect(await readFile(state, 'utf8')).toBe(content);
    }
  });

  it('a state file of another address is refused (exit 2)', async () => {
    const state = join(dir, 'state.json');
    expect((await run('--state', state)).code).toBe(0);
    const io = log.io();
    expect(await main(['--url', 'http://other.test', '--state', state], io)).toBe(2);
    expect(io.errors.join('\n')).toContain('另一个地址');
  });

  it('an unreachable server is exit 2 (nothing checked), not tampering', async () => {
    const io = log.io();
    io.fetch = async () => {
      throw new Error('ECONNREFUSED');
    };
    expect(await main(['--url', URL_BASE], io)).toBe(2);
    expect(io.errors.join('\n')).toContain('无法查验 / cannot verify');
  });

  it('inclusion proofs from the service verify with the helpers used here', async () => {
    // Sanity link between the fake and merkle.ts: the service builds the same proof as inclusionProof.
    const leaves = log.events.get('s07')!.map((h) => leafHash(h));
    const nodes = memoryNodes(appendToFrontier(EMPTY_FRONTIER, leaves).completed);
    const proof = await proofOfEvent({ chain: 's07', seq: 3, eventHash: log.events.get('s07')![2]!, action: 'decision.publish', at: 't' }, log.checkpoints.get('s07')!.at(-1), nodes);
    expect(proof.inclusion).toEqual({ treeSize: 8, proof: await inclusionProof(nodes, 2, 8) });
    expect(proof.label).toBe('公示');
  });
});
