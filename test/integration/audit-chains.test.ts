/**
 * The audit log in 16 chains (issue 12, point 1) and hashes covering every stored attribute (point 5),
 * on the real DynamoDB Local: events go to their entity's chain in the change's transaction, a change
 * whose events fall in several chains moves each head once, concurrent writers all get through with
 * contiguous chains, and tampering with a stored event — a field, its index keys, two events swapped,
 * one deleted, a head removed — is named by GET /audit/verify as chain + seq. The legacy `main` chain
 * stays readable and verifiable and gets nothing new.
 *
 * This file tampers with the Audit table, so it uses an Audit table of its own (the handlers run in
 * this process and read the table name once): other files verifying the shared table never see the
 * tampering.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { AUDIT_CHAINS, GENESIS_HASH, chainOf, entityIndexKeys, hashLegacyEvent } from '../../shared/domain/audit.ts';
import type { AuditEventInput } from '../../shared/domain/audit.ts';
import { eventsOfChain, readChainHead, readChainHeads } from '../../shared/store/audit.ts';
import { commit, commitCounters } from '../../shared/store/transact.ts';
import { startApi, uniqueId, type TestApi, ownTable } from './helpers.ts';

interface Break {
  kind: string;
  chain: string;
  seq: number;
  message: string;
}
interface Report {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBreak: Break | null;
  chains: { chain: string; ok: boolean; checked: number; headSeq: number; firstBreak: Break | null }[];
}

let api: TestApi;
let admin: string;
let auditTable: string;
let dropTable: () => Promise<void>;
const doc = () => documentClient();
const key = (chain: string, seq: number) => ({ pk: `CHAIN#${chain}`, sk: `SEQ#${String(seq).padStart(12, '0')}` });
const headKey = (chain: string) => ({ pk: `CHAIN#${chain}`, sk: 'HEAD' });
const getItem = async (k: Record<string, string>) => (await doc().send(new GetCommand({ TableName: auditTable, Key: k, ConsistentRead: true }))).Item!;
const putItem = (item: Record<string, unknown>) => doc().send(new PutCommand({ TableName: auditTable, Item: item }));
const ctx = { actor: { sub: 'test', name: '测试', groups: ['admin'] }, requestId: 'req-audit-chains' };

/** An entity id of the given type whose events go to `chain`. */
function idInChain(type: string, chain: string): string {
  for (;;) {
    const id = uniqueId('e');
    if (chainOf(type, id) === chain) return id;
  }
}
const event = (entityType: string, entityId: string, n = 1): AuditEventInput => ({ action: 'test.touch', entityType, entityId, change: { n } });

const verifyRoute = async (): Promise<Report> => {
  const res = await api.fetchJson<Report>('/audit/verify', { token: admin });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

beforeAll(async () => {
  api = await startApi();
  ({ name: auditTable, drop: dropTable } = await ownTable('Audit', 'chains'));
  admin = await api.token(['admin']);
  // Agencies through the API: each change's event in its entity's chain.
  for (let i = 0; i < 6; i++) {
    const res = await api.fetchJson('/agencies', { token: admin, json: { id: uniqueId('ach'), name: `审计分链测试局${i}`, level: 'CITY', region: '某市' } });
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(async () => {
  await api?.stop();
  await dropTable?.();
});

describe('events in the chain of their entity', () => {
  it('an API change appends its event to chainOf(type, id), found in the entity history and in seq order in its chain', async () => {
    const id = uniqueId('ach');
    const chain = chainOf('Agency', id);
    const before = (await readChainHead(chain))?.seq ?? 0;

    const res = await api.fetchJson('/agencies', { token: admin, json: { id, name: '审计分链单测局', level: 'CITY', region: '某市' } });

    expect(res.status, res.text).toBe(201);
    const history = await api.fetchJson<{ items: { chain: string; seq: number; entityId: string; hash: string }[] }>(
      `/audit/events?entityType=Agency&entityId=${id}&limit=10`,
      { token: admin },
    );
    expect(history.body.items).toHaveLength(1);
    const [e] = history.body.items;
    expect(e).toMatchObject({ chain, entityId: id });
    expect(e!.seq).toBeGreaterThan(before);
    const [same] = await eventsOfChain(chain, e!.seq, 1);
    expect(same).toEqual(e);
    expect(await readChainHead(chain)).toMatchObject({ chain, seq: e!.seq, hash: e!.hash });
  });

  it('a change whose events fall in two chains moves both heads, one condition each, in one transaction', async () => {
    const [c1, c2] = ['s03', 's11'];
    const a = idInChain('Case', c1!);
    const b = idInChain('Case', c2!);
    const heads = await readChainHeads([c1!, c2!]);

    const chained = await commit(ctx, [], [event('Case', a, 1), event('Case', b, 2), event('Case', a, 3)]);

    expect(chained.map((e) => [e.chain, e.entityId])).toEqual([[c1, a], [c2, b], [c1, a]]);
    expect(chained.map((e) => e.seq)).toEqual([heads.get(c1!)!.seq + 1, heads.get(c2!)!.seq + 1, heads.get(c1!)!.seq + 2]);
    expect(chained[2]!.prevHash).toBe(chained[0]!.hash);
    expect(chained[0]!.prevHash).toBe(heads.get(c1!)!.hash);
    const after = await readChainHeads([c1!, c2!]);
    expect(after.get(c1!)).toMatchObject({ seq: chained[2]!.seq, hash: chained[2]!.hash });
    expect(after.get(c2!)).toMatchObject({ seq: chained[1]!.seq, hash: chained[1]!.hash });
    expect(await eventsOfChain(c1!, chained[0]!.seq, 10)).toEqual([chained[0], chained[2]]);
  });

  it('concurrent writers to one chain and to many all get through; every chain stays contiguous and verifies', async () => {
    const hot = idInChain('Case', 's07');
    const spread = Array.from({ length: 20 }, (_, i) => `spread-${randomUUID().slice(0, 6)}-${i}`);
    const before = commitCounters();
    const headBefore = (await readChainHead('s07'))?.seq ?? 0;

    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => commit({ ...ctx, requestId: `hot-${i}` }, [], [event('Case', hot, i)])),
      ...spread.map((id, i) => commit({ ...ctx, requestId: `spread-${i}` }, [], [event('Case', id, i)])),
    ]);

    const after = commitCounters();
    expect(after.commits - before.commits).toBe(40);
    const spreadToS07 = spread.filter((id) => chainOf('Case', id) === 's07').length;
    expect((await readChainHead('s07'))!.seq).toBe(headBefore + 20 + spreadToS07);
    const hotEvents = (await eventsOfChain('s07', headBefore + 1, 100)).filter((e) => e.entityId === hot);
    expect(hotEvents.map((e) => (e.change as { n: number }).n).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const report = await verifyRoute();
    expect(report.ok, JSON.stringify(report.firstBreak)).toBe(true);
    expect(report.checked).toBe(report.headSeq);
    for (const c of report.chains) expect(c).toMatchObject({ ok: true, checked: c.headSeq });
    expect(report.chains.map((c) => c.chain)).toEqual([...AUDIT_CHAINS, 'main'].filter((c) => report.chains.some((r) => r.chain === c)));
  });
});

describe('the newest events of the whole trail (GET /audit/recent, the console\'s 审计记录)', () => {
  it('are the latest across every chain, newest first, as many as asked for, to admins only', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `recent-${randomUUID().slice(0, 6)}-${i}`);
    for (const [i, id] of ids.entries()) {
      await commit({ ...ctx, requestId: `recent-${i}` }, [], [event('Case', id, i)]);
      // Distinct milliseconds: events of one instant are ordered by chain, not by when they were written.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect(new Set(ids.map((id) => chainOf('Case', id))).size).toBeGreaterThan(1);
    const res = await api.fetchJson<{ items: { entityId: string; at: string; chain: string }[] }>('/audit/recent?limit=4', { token: admin });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.map((e) => e.entityId)).toEqual(ids.slice(2).reverse());
    const all = await api.fetchJson<{ items: { at: string }[] }>('/audit/recent?limit=200', { token: admin });
    const times = all.body.items.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    expect((await api.fetchJson('/audit/recent?limit=201', { token: admin })).status).toBe(400);
    expect((await api.fetchJson('/audit/recent', { token: await api.token(['leader'], { agencyId: 'x' }) })).status).toBe(403);
  });
});

describe('tampering with the stored events is named as chain + seq (issue 12, point 5)', () => {
  /** A chain with at least three events, and its events 1..3 as stored. */
  async function aChain(): Promise<{ chain: string; items: Record<string, unknown>[] }> {
    const chain = 's05';
    const id = idInChain('Case', chain);
    for (let i = 0; i < 3; i++) await commit(ctx, [], [event('Case', id, i)]);
    const items = await Promise.all([1, 2, 3].map((seq) => getItem(key(chain, seq))));
    return { chain, items };
  }

  /** Tamper, check the report, restore, check the chain verifies again. */
  async function expectBreak(tamper: () => Promise<unknown>, restore: () => Promise<unknown>, expected: Partial<Break>): Promise<Report> {
    let report: Report;
    try {
      await tamper();
      report = await verifyRoute();
    } finally {
      await restore();
    }
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject(expected);
    expect(report.chains.find((c) => c.chain === expected.chain)?.firstBreak).toMatchObject(expected);
    // Only the tampered chain is reported broken.
    expect(report.chains.filter((c) => !c.ok).map((c) => c.chain)).toEqual([expected.chain]);
    expect((await verifyRoute()).ok).toBe(true);
    return report;
  }

  it('editing a field of an event → HASH_MISMATCH at its chain and seq', async () => {
    const { chain, items } = await aChain();
    const report = await expectBreak(
      () => putItem({ ...items[1], action: 'case.delete' }),
      () => putItem(items[1]!),
      { kind: 'HASH_MISMATCH', chain, seq: 2 },
    );
    expect(report.firstBreak?.message).toContain(`审计链 ${chain} 第 2 号`);
  });

  it('moving an event into another entity\'s history (gsi1pk) or time (gsi1sk) → HASH_MISMATCH', async () => {
    const { chain, items } = await aChain();
    await expectBreak(() => putItem({ ...items[1], gsi1pk: 'ENTITY#Case#someone-else' }), () => putItem(items[1]!), { kind: 'HASH_MISMATCH', chain, seq: 2 });
    await expectBreak(
      () => putItem({ ...items[2], gsi1sk: `2020-01-01T00:00:00.000Z#${String(3).padStart(12, '0')}` }),
      () => putItem(items[2]!),
      { kind: 'HASH_MISMATCH', chain, seq: 3 },
    );
    // And an attribute added to a stored event.
    await expectBreak(() => putItem({ ...items[0], note: '补记' }), () => putItem(items[0]!), { kind: 'HASH_MISMATCH', chain, seq: 1 });
  });

  it('swapping two events\' contents (each under the other\'s key) → broken at the first of them', async () => {
    const { chain, items } = await aChain();
    const [one, two] = [items[0]!, items[1]!];
    await expectBreak(
      () => Promise.all([putItem({ ...two, pk: one.pk, sk: one.sk }), putItem({ ...one, pk: two.pk, sk: two.sk })]),
      () => Promise.all([putItem(one), putItem(two)]),
      { kind: 'KEY_MISMATCH', chain, seq: 1 },
    );
  });

  it('deleting an event → MISSING; deleting a head → HEAD_MISMATCH (the chain is still verified)', async () => {
    const { chain, items } = await aChain();
    await expectBreak(
      () => doc().send(new DeleteCommand({ TableName: auditTable, Key: key(chain, 2) })),
      () => putItem(items[1]!),
      { kind: 'MISSING', chain, seq: 2 },
    );
    const head = await getItem(headKey(chain));
    await expectBreak(
      () => doc().send(new DeleteCommand({ TableName: auditTable, Key: headKey(chain) })),
      () => putItem(head),
      { kind: 'HEAD_MISMATCH', chain },
    );
  });
});

describe('the legacy main chain', () => {
  /** Three events as the single-chain version wrote them, and its head. */
  async function writeLegacyMain(entityId: string): Promise<Record<string, unknown>[]> {
    const at = '2026-01-05T02:00:00.000Z';
    let prevHash = GENESIS_HASH;
    const items: Record<string, unknown>[] = [];
    for (let seq = 1; seq <= 3; seq++) {
      const body = { seq, at, requestId: 'legacy', actor: ctx.actor, action: 'agency.update', entityType: 'Agency', entityId, change: { name: { from: 'a', to: `b${seq}` } }, prevHash };
      const hash = hashLegacyEvent(body);
      items.push({ ...key('main', seq), ...entityIndexKeys('Agency', entityId, at, seq), ...body, hash });
      prevHash = hash;
    }
    for (const item of items) await putItem(item);
    await putItem({ ...headKey('main'), seq: 3, hash: prevHash, at });
    return items;
  }

  it('is verified in its own format, read with chain: main, and gets nothing new', async () => {
    const entityId = uniqueId('legacy');
    const items = await writeLegacyMain(entityId);

    await commit(ctx, [], [event('Agency', entityId)]);

    const report = await verifyRoute();
    expect(report.ok, JSON.stringify(report.firstBreak)).toBe(true);
    expect(report.chains.at(-1)).toMatchObject({ chain: 'main', ok: true, checked: 3, headSeq: 3 });
    expect(await readChainHead('main')).toMatchObject({ seq: 3 });
    const history = await api.fetchJson<{ items: { chain: string; seq: number }[] }>(`/audit/events?entityType=Agency&entityId=${entityId}&limit=10`, { token: admin });
    expect(history.body.items.map((e) => e.chain)).toEqual(['main', 'main', 'main', chainOf('Agency', entityId)]);

    // Its index keys are checked too: moving a legacy event to another entity's history is found.
    await expectLegacyBreak(items[1]!);
  });

  async function expectLegacyBreak(item: Record<string, unknown>): Promise<void> {
    try {
      await putItem({ ...item, gsi1pk: 'ENTITY#Agency#someone-else' });
      const report = await verifyRoute();
      expect(report.firstBreak).toMatchObject({ kind: 'HASH_MISMATCH', chain: 'main', seq: 2 });
    } finally {
      await putItem(item);
    }
    expect((await verifyRoute()).ok).toBe(true);
  }
});

describe('request paths read chains by key', () => {
  it('eventsOfChain is a Query on the chain partition in seq order', async () => {
    const res = await doc().send(
      new QueryCommand({ TableName: auditTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'CHAIN#s03' }, ConsistentRead: true }),
    );
    const seqs = (res.Items ?? []).filter((i) => i.sk !== 'HEAD').map((i) => i.seq as number);

    const events = await eventsOfChain('s03', 1, 1000);

    expect(events.map((e) => e.seq)).toEqual(seqs);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await eventsOfChain('s03', seqs.length + 1, 10)).toEqual([]);
  });
});
