/**
 * Signed checkpoints of the audit chains (issue 12, points 2, 3, 5), on the real DynamoDB Local and
 * s3rver: the job (POST /audit/checkpoints) signs a checkpoint per chain with new events, stores it in
 * the table and as a locked copy in the checkpoints bucket, and none for a chain without new events; the
 * public routes give the key, the checkpoints (paged) and consistency proofs that check with
 * node:crypto and verifyConsistency; verifyCheckpoints finds a replaced checkpoint item, an event
 * edited with its chain and head recomputed, and a truncated tail.
 *
 * This file tampers with the Audit table, so it uses an Audit table and a checkpoints bucket of its own
 * (the handlers run in this process and read the table name once): other files never see the tampering.
 */
import { createHash, createPublicKey, randomUUID, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { s3Client } from '../../shared/aws/s3-client.ts';
import { CHECKPOINTS_BUCKET_ENV, checkpointObjectKey } from '../../shared/aws/checkpoints-bucket.ts';
import { canonicalJson, chainOf, hashEvent } from '../../shared/domain/audit.ts';
import { checkpointHash } from '../../shared/domain/checkpoint.ts';
import type { Checkpoint } from '../../shared/domain/checkpoint.ts';
import { leafHash, rootOf, verifyConsistency } from '../../shared/domain/merkle.ts';
import { runCheckpoints, verifyCheckpoints } from '../../shared/services/checkpoints.ts';
import { chainItems, readChainHead } from '../../shared/store/audit.ts';
import { ensureCheckpointsBucket } from '../../local/services.ts';
import { startApi, uniqueId, type TestApi, ownTable } from './helpers.ts';

interface Alert {
  readonly kind: string;
  readonly subject: string;
  readonly text: string;
}

const inbox = async (): Promise<Alert[]> =>
  (await readFile(process.env.LOCAL_INBOX_FILE!, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Alert);

interface ChainRun {
  chain: string;
  status: string;
  treeSize: number;
  previousSize: number;
  eventsRead: number;
}
interface RunBody {
  created: number;
  chains: ChainRun[];
}
interface Page {
  items: Checkpoint[];
  nextCursor: string | null;
}
interface Consistency {
  chain: string;
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  proof: string[];
}

const CHAIN = 's05';
const OTHER = 's11';
let api: TestApi;
let admin: string;
const suffix = randomUUID().slice(0, 8);
let auditTable: string;
let dropTable: () => Promise<void>;
const bucket = `checkpoints-test-${suffix}`;
const doc = () => documentClient();
const eventKey = (chain: string, seq: number) => ({ pk: `CHAIN#${chain}`, sk: `SEQ#${String(seq).padStart(12, '0')}` });
const headKey = (chain: string) => ({ pk: `CHAIN#${chain}`, sk: 'HEAD' });
const getItem = async (k: Record<string, string>) => (await doc().send(new GetCommand({ TableName: auditTable, Key: k, ConsistentRead: true }))).Item!;
const putItem = (item: Record<string, unknown>) => doc().send(new PutCommand({ TableName: auditTable, Item: item }));

/** An agency id whose events go to `chain`. */
function agencyInChain(chain: string): string {
  for (;;) {
    const id = uniqueId('cpa');
    if (chainOf('Agency', id) === chain) return id;
  }
}

async function addAgencies(chain: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await api.fetchJson('/agencies', { token: admin, json: { id: agencyInChain(chain), name: `检查点测试局${i}`, level: 'CITY', region: '某市' } });
    expect(res.status, res.text).toBe(201);
  }
}

async function runJob(): Promise<RunBody> {
  const res = await api.fetchJson<RunBody>('/audit/checkpoints', { method: 'POST', token: admin });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const runOf = (body: RunBody, chain: string): ChainRun | undefined => body.chains.find((c) => c.chain === chain);

async function checkpointsOf(chain: string, query = ''): Promise<Checkpoint[]> {
  const res = await api.fetchJson<Page>(`/public/audit/checkpoints?chain=${chain}${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items;
}

async function lockedCopy(chain: string, size: number): Promise<string> {
  const res = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: checkpointObjectKey(chain, size) }));
  return res.Body!.transformToString('utf8');
}

/** Event hashes of a chain as stored, 1…n. */
async function eventHashes(chain: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for await (const item of chainItems(chain, 1, n)) out.push(item.hash as string);
  return out;
}

beforeAll(async () => {
  api = await startApi();
  ({ name: auditTable, drop: dropTable } = await ownTable('Audit', 'checkpoints'));
  // A bucket of our own too: the shared one holds the shared table's checkpoints under the same keys.
  await ensureCheckpointsBucket(api.system.endpoints.s3Endpoint, bucket);
  process.env[CHECKPOINTS_BUCKET_ENV] = bucket;
  admin = await api.token(['admin']);
  await addAgencies(CHAIN, 5);
  await addAgencies(OTHER, 2);
});
afterAll(async () => {
  await api?.stop();
  await dropTable?.();
});

describe('the checkpoint job and the public routes', () => {
  let first: Checkpoint;
  let second: Checkpoint;

  it('signs a checkpoint per chain with new events; only admins may ask', async () => {
    expect((await api.fetchJson('/audit/checkpoints', { method: 'POST', token: await api.token(['leader'], { agencyId: 'sq-city' }) })).status).toBe(403);

    const body = await runJob();

    expect(runOf(body, CHAIN)).toMatchObject({ status: 'CHECKPOINTED', previousSize: 0, treeSize: 5, eventsRead: 5 });
    expect(runOf(body, OTHER)).toMatchObject({ status: 'CHECKPOINTED', treeSize: 2 });
    expect(body.created).toBe(2);
    const items = await checkpointsOf(CHAIN);
    expect(items).toHaveLength(1);
    first = items[0]!;
    expect(first).toMatchObject({ chain: CHAIN, treeSize: 5, previousHash: null });
    // The signed root is RFC 9162's over the events' hashes.
    expect(first.rootHash).toBe(rootOf((await eventHashes(CHAIN, 5)).map((h) => leafHash(h))));
  });

  it('publishes the key; the checkpoint signature verifies with node:crypto (PEM and JWK)', async () => {
    const res = await api.fetchJson<{ keyId: string; algorithm: string; pem: string; jwk: Record<string, string> }>('/public/audit/key');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ keyId: first.keyId, algorithm: 'ECDSA_P256_SHA256', jwk: { kty: 'EC', crv: 'P-256' } });
    const { signature, ...body } = first;
    const message = Buffer.from(canonicalJson(body), 'utf8');
    for (const key of [createPublicKey(res.body.pem), createPublicKey({ key: res.body.jwk, format: 'jwk' })]) {
      expect(verify('sha256', message, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'))).toBe(true);
      expect(verify('sha256', Buffer.from(canonicalJson({ ...body, treeSize: 6 })), { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'))).toBe(false);
    }
  });

  it('stores a locked copy: the same document, under COMPLIANCE retention, not deletable', async () => {
    const copy = await lockedCopy(CHAIN, 5);
    expect(JSON.parse(copy)).toEqual(first);
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: checkpointObjectKey(CHAIN, 5) }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(new Date(head.ObjectLockRetainUntilDate!).getUTCFullYear()).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 29);
    await expect(s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: checkpointObjectKey(CHAIN, 5) }))).rejects.toThrow();
  });

  it('a chain without new events gets no new checkpoint', async () => {
    const body = await runJob();

    expect(runOf(body, CHAIN)).toMatchObject({ status: 'UNCHANGED', treeSize: 5, eventsRead: 0 });
    expect(body.created).toBe(0);
    expect(await checkpointsOf(CHAIN)).toHaveLength(1);
  });

  it('new events: a checkpoint reading only them, linked to the last one by previousHash', async () => {
    await addAgencies(CHAIN, 3);

    const body = await runJob();

    expect(runOf(body, CHAIN)).toMatchObject({ status: 'CHECKPOINTED', previousSize: 5, treeSize: 8, eventsRead: 3 });
    expect(runOf(body, OTHER)).toMatchObject({ status: 'UNCHANGED' });
    const items = await checkpointsOf(CHAIN);
    expect(items.map((c) => c.treeSize)).toEqual([5, 8]);
    second = items[1]!;
    // The link is the SHA-256 of the previous checkpoint's signed document, which is its locked copy.
    expect(second.previousHash).toBe(checkpointHash(first));
    expect(second.previousHash).toBe(createHash('sha256').update(await lockedCopy(CHAIN, 5)).digest('hex'));
  });

  it('consistency proofs between checkpoints verify with verifyConsistency', async () => {
    const res = await api.fetchJson<Consistency>(`/public/audit/checkpoints/${CHAIN}/8/consistency?from=5`);

    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ chain: CHAIN, from: 5, to: 8, fromRoot: first.rootHash, toRoot: second.rootHash });
    expect(res.body.proof.length).toBeGreaterThan(0);
    expect(verifyConsistency(5, 8, res.body.proof, first.rootHash, second.rootHash)).toBe(true);
    expect(verifyConsistency(5, 8, res.body.proof, second.rootHash, second.rootHash)).toBe(false);
    const same = await api.fetchJson<Consistency>(`/public/audit/checkpoints/${CHAIN}/8/consistency?from=8`);
    expect(same.body).toMatchObject({ from: 8, to: 8, proof: [] });
  });

  it('pages with signed cursors, in tree-size order, and filters by tree size', async () => {
    const page1 = await api.fetchJson<Page>(`/public/audit/checkpoints?chain=${CHAIN}&limit=1`);
    expect(page1.body.items.map((c) => c.treeSize)).toEqual([5]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api.fetchJson<Page>(`/public/audit/checkpoints?chain=${CHAIN}&limit=1&cursor=${encodeURIComponent(page1.body.nextCursor!)}`);
    expect(page2.body.items.map((c) => c.treeSize)).toEqual([8]);
    expect((await checkpointsOf(CHAIN, '&from=6')).map((c) => c.treeSize)).toEqual([8]);
    expect((await checkpointsOf(CHAIN, '&to=7')).map((c) => c.treeSize)).toEqual([5]);
    // A cursor of another chain's query is refused.
    expect((await api.fetchJson(`/public/audit/checkpoints?chain=${OTHER}&limit=1&cursor=${encodeURIComponent(page1.body.nextCursor!)}`)).status).toBe(400);
  });

  it('bad input: unknown chain, a size that is no checkpoint or beyond the tree, from after to', async () => {
    const code = async (path: string) => {
      const res = await api.fetchJson<{ error: { code: string; message: string } }>(path);
      return [res.status, res.body.error.code];
    };
    expect(await code('/public/audit/checkpoints?chain=s16')).toEqual([400, 'UNKNOWN_CHAIN']);
    expect(await code(`/public/audit/checkpoints?chain=${CHAIN}&from=8&to=5`)).toEqual([400, 'INVALID_RANGE']);
    expect(await code('/public/audit/checkpoints/x1/8/consistency?from=5')).toEqual([404, 'UNKNOWN_CHAIN']);
    expect(await code(`/public/audit/checkpoints/${CHAIN}/7/consistency?from=5`)).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(await code(`/public/audit/checkpoints/${CHAIN}/1000/consistency?from=5`)).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(await code(`/public/audit/checkpoints/${CHAIN}/8/consistency?from=6`)).toEqual([404, 'CHECKPOINT_NOT_FOUND']);
    expect(await code(`/public/audit/checkpoints/${CHAIN}/5/consistency?from=8`)).toEqual([400, 'INVALID_RANGE']);
    expect((await api.fetchJson(`/public/audit/checkpoints/${CHAIN}/5/consistency?from=0`)).status).toBe(400);
    expect((await api.fetchJson(`/public/audit/checkpoints/${CHAIN}/5/consistency`)).status).toBe(400);
  });
});

describe('verifyCheckpoints finds tampering after a checkpoint covers it', () => {
  it('intact: every chain with checkpoints verifies', async () => {
    const report = await verifyCheckpoints();
    expect(report.ok, JSON.stringify(report.firstProblem)).toBe(true);
    expect(report.chains.find((c) => c.chain === CHAIN)).toMatchObject({ ok: true, checkpoints: 2, latestSize: 8, eventsChecked: 8 });
  });

  it('a checkpoint item replaced in the table: the locked copy and the signature disagree', async () => {
    const key = { pk: `CHECKPOINT#${CHAIN}`, sk: `SIZE#${String(5).padStart(12, '0')}` };
    const original = await getItem(key);
    await putItem({ ...original, rootHash: 'a'.repeat(64) });
    try {
      const report = await verifyCheckpoints();

      expect(report.ok).toBe(false);
      expect(report.firstProblem).toMatchObject({ kind: 'LOCKED_COPY_MISMATCH', chain: CHAIN, treeSize: 5 });
      const problems = report.chains.find((c) => c.chain === CHAIN);
      expect(problems?.ok).toBe(false);
    } finally {
      await putItem(original);
    }
    expect((await verifyCheckpoints()).ok).toBe(true);
  });

  it('an event edited with its chain and head recomputed: the signed root no longer matches', async () => {
    const originals = await Promise.all([3, 4, 5, 6, 7, 8].map((seq) => getItem(eventKey(CHAIN, seq))));
    const head = await getItem(headKey(CHAIN));
    // What someone with write access would do: change event 3, then rehash it and every later one.
    let prev = (await getItem(eventKey(CHAIN, 2))).hash as string;
    const forged = originals.map((item, i) => {
      const { pk, sk, hash: _h, ...rest } = item;
      const body = { ...rest, prevHash: prev, ...(i === 0 ? { change: { name: { from: null, to: '伪造' } } } : {}) };
      const hash = hashEvent(body);
      prev = hash;
      return { ...body, pk, sk, hash };
    });
    for (const item of forged) await putItem(item);
    await putItem({ ...head, hash: prev });
    try {
      const report = await verifyCheckpoints();

      expect(report.firstProblem).toMatchObject({ kind: 'ROOT_MISMATCH', chain: CHAIN, treeSize: 5 });
      expect(report.firstProblem?.message).toContain('第 1–5 号');
    } finally {
      for (const item of originals) await putItem(item);
      await putItem(head);
    }
  });

  it('the tail deleted and the head rewound: verification names the missing events, the job signs nothing', async () => {
    const tail = await Promise.all([7, 8].map((seq) => getItem(eventKey(CHAIN, seq))));
    const head = await getItem(headKey(CHAIN));
    for (const seq of [7, 8]) await doc().send(new DeleteCommand({ TableName: auditTable, Key: eventKey(CHAIN, seq) }));
    await putItem({ ...head, seq: 6, hash: (await getItem(eventKey(CHAIN, 6))).hash });
    try {
      const report = await verifyCheckpoints();
      expect(report.firstProblem).toMatchObject({ kind: 'EVENTS_MISSING', chain: CHAIN, treeSize: 8 });

      const run = await runCheckpoints({ chains: [CHAIN] });
      expect(run.chains[0]).toMatchObject({ chain: CHAIN, status: 'BROKEN', seq: 6 });
      expect(run.created).toBe(0);
      // The scheduled job tells the admins (R7): an alert naming the chain, not only a log line.
      const alertsBefore = (await inbox()).length;
      // Loaded here, after this file pointed the Audit table and the bucket at its own.
      const { runJob } = await import('../../functions/jobs/handler.ts');
      const job = await runJob({ schedule: 'audit-checkpoint', job: 'audit-checkpoint', scheduledTime: new Date().toISOString() });
      expect(job.broken).toEqual(expect.arrayContaining([{ chain: CHAIN, seq: 6 }]));
      const alerts = (await inbox()).slice(alertsBefore).filter((a) => a.kind === 'audit-integrity');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.text).toContain(CHAIN);
    } finally {
      for (const item of tail) await putItem(item);
      await putItem(head);
    }
    expect((await readChainHead(CHAIN))?.seq).toBe(8);
    expect((await verifyCheckpoints()).ok).toBe(true);
  });
});
