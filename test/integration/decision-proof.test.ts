/**
 * The public proof of a decision and the public verifier (issue 12, points 3 and 4) on the real local
 * services: a decision published and corrected through the API, the checkpoint job run in-process,
 * `GET /public/decisions/{id}/proof` checked with merkle.ts and the published key, nothing personal in
 * it; `npm run verify-log`'s main against this API's URL: intact (exit 0), then a checkpoint rewritten
 * in the table (exit 1).
 *
 * This file tampers with the Audit table, so it uses an Audit table of its own (the handlers run in this
 * process and read the table name on each call): other files never see the tampering.
 */
import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '../../shared/aws/dynamodb.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { chainOf } from '../../shared/domain/audit.ts';
import { verifyCheckpointSignature } from '../../shared/domain/checkpoint.ts';
import type { Checkpoint } from '../../shared/domain/checkpoint.ts';
import { idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { leafHash, verifyInclusion } from '../../shared/domain/merkle.ts';
import { runCheckpoints } from '../../shared/services/checkpoints.ts';
import { checkpointKey, latestCheckpoint } from '../../shared/store/checkpoints.ts';
import { main as verifyLog } from '../../local/cli/verify-log.ts';
import type { Io } from '../../local/cli/verify-log.ts';
import { createPower, startApi, uniqueId, type TestApi, ownTable, simpleWarningDraft } from './helpers.ts';

interface ProofEvent {
  chain: string;
  seq: number;
  leafHash: string;
  eventHash: string;
  action: string;
  label: string;
  at: string;
  inclusion: { treeSize: number; proof: string[] } | null;
  checkpoint: Checkpoint | null;
}
interface Proof {
  id: string;
  status: string;
  events: ProofEvent[];
}
interface DecisionView {
  version: number;
  publicId: string;
}

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let agencyId: string;
let dir: string;
let auditTable: string;
let dropTable: () => Promise<void>;

const idNumber = (() => {
  const first = '32130219800101123';
  return first + idNumberCheckChar(first);
})();
const party = { kind: 'PERSON', name: '张三丰', idNumber, phone: '13912345678', address: '宿迁市宿城区幸福路88号3幢201室' };
const CORRECTION_REASON = '违法行为类型录入错误（王五反映）';
const WITHDRAWAL_REASON = '行政复议决定撤销，复议申请人赵六';

/** The verifier's main, in this process, against this API's URL; its output captured. */
async function runVerifier(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { fetch: (url, init) => fetch(url, init), out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await verifyLog(['--url', api.url, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const publishedKey = async () => {
  const res = await api.fetchJson<{ keyId: string; pem: string }>('/public/audit/key');
  expect(res.status, res.text).toBe(200);
  return { keyId: res.body.keyId, key: createPublicKey(res.body.pem) };
};

const getProof = async (publicId: string) => {
  const res = await api.fetchJson<Proof>(`/public/decisions/${publicId}/proof`);
  expect(res.status, res.text).toBe(200);
  return res;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'decision-proof-'));
  api = await startApi();
  ({ name: auditTable, drop: dropTable } = await ownTable('Audit', 'proof'));

  admin = await api.token(['admin']);
  agencyId = uniqueId('prf');
  officer = await api.token(['officer'], { name: '承办人', agencyId });
  leader = await api.token(['leader'], { name: '负责人', agencyId });
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `证明测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
});
afterAll(async () => {
  await api?.stop();
  await dropTable?.();
  await rm(dir, { recursive: true, force: true });
});

/** A warning to a person, drafted, issued and published through the API. */
async function publishedDecision(): Promise<{ caseId: string; publicId: string; version: number }> {
  const officerIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await api.fetchJson<{ id: string }>('/officers', {
      token: admin,
      json: { name: '证明测试员', agencyId, certificateNo: `6${String(Date.now()).slice(-8)}${i}${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
    });
    expect(res.status, res.text).toBe(201);
    officerIds.push(res.body.id);
  }
  const powerCode = uniqueId('CF').toUpperCase();
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
  const opened = await api.fetchJson<{ id: string }>('/cases', {
    token: officer,
    json: { agencyId, enforcementType: 'PENALTY', powerCode, party, handlingOfficerIds: officerIds, filingDate: '2026-03-02', summary: '涉嫌经营超过保质期的食品' },
  });
  expect(opened.status, opened.text).toBe(201);
  const caseId = opened.body.id;
  const draft = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision`, {
    method: 'PUT',
    token: officer,
    json: simpleWarningDraft({ documentText: `当事人张三丰（身份证号 ${idNumber}）经营超过保质期的食品，联系电话13912345678。决定给予警告。` }),
  });
  expect(draft.status, draft.text).toBe(200);
  const issued = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/issue`, { token: leader, json: { version: draft.body.version } });
  expect(issued.status, issued.text).toBe(200);
  const published = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/publish`, { token: admin, json: { version: issued.body.version } });
  expect(published.status, published.text).toBe(200);
  return { caseId, publicId: published.body.publicId, version: published.body.version };
}

describe('GET /public/decisions/{id}/proof and npm run verify-log', () => {
  it('proves publication and correction against signed checkpoints; nothing personal; the verifier agrees, then finds a rewritten checkpoint', async () => {
    const { caseId, publicId, version } = await publishedDecision();
    const chain = chainOf('Decision', caseId);

    // Published, not yet covered by a checkpoint: the reference is there, the inclusion is not.
    const before = await getProof(publicId);
    expect(before.body.events).toEqual([expect.objectContaining({ chain, action: 'decision.publish', label: '公示', inclusion: null })]);

    expect((await runCheckpoints({ chains: [chain] })).created).toBe(1);
    const corrected = await api.fetchJson<DecisionView>(`/cases/${caseId}/decision/correct`, {
      token: admin,
      json: { version, reason: CORRECTION_REASON, violationType: '经营过期食品' },
    });
    expect(corrected.status, corrected.text).toBe(200);
    expect((await runCheckpoints({ chains: [chain] })).created).toBe(1);

    const { body: proof, text } = await getProof(publicId);
    expect(proof).toMatchObject({ id: publicId, status: 'PUBLIC' });
    expect(proof.events.map((e) => e.action)).toEqual(['decision.publish', 'decision.correct']);
    const latest = (await latestCheckpoint(chain))!;
    const key = await publishedKey();
    for (const e of proof.events) {
      expect(e.chain).toBe(chain);
      expect(e.leafHash).toBe(leafHash(e.eventHash));
      expect(e.inclusion?.treeSize).toBe(latest.treeSize);
      expect(e.checkpoint).toEqual(latest);
      expect(e.checkpoint!.keyId).toBe(key.keyId);
      expect(verifyCheckpointSignature(e.checkpoint!, key.key)).toBe(true);
      expect(verifyInclusion(e.leafHash, e.seq - 1, e.inclusion!.treeSize, e.inclusion!.proof, e.checkpoint!.rootHash)).toBe(true);
      // The event hash really is the stored event's (the proof names the event, not a look-alike).
      const stored = await documentClient().send(new GetCommand({ TableName: auditTable, Key: { pk: `CHAIN#${chain}`, sk: `SEQ#${String(e.seq).padStart(12, '0')}` } }));
      expect(stored.Item?.hash).toBe(e.eventHash);
    }
    // Event bodies are never public: no change, no actor, no reason, nothing of the party.
    for (const secret of ['张三丰', idNumber, '13912345678', '幸福路', CORRECTION_REASON, '王五', '"change"', '"actor"', 'requestId', '"by"']) expect(text).not.toContain(secret);

    // The verifier, as anyone would run it against this address.
    const state = join(dir, 'state.json');
    const intact = await runVerifier('--decision', publicId, '--state', state);
    expect(intact.code, `${intact.out}\n${intact.err}`).toBe(0);
    expect(intact.out).toContain('2/2 个事件已由签名检查点证明');
    expect(intact.out).toContain('审计日志完整 / log intact');

    // Withdrawn: the detail answers 410, the proof stays and names the withdrawal (not yet covered).
    const withdrawn = await api.fetchJson(`/cases/${caseId}/decision/withdraw`, {
      token: admin,
      json: { version: corrected.body.version, ground: 'REVOKED', changedOn: '2026-10-09', reason: WITHDRAWAL_REASON },
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect((await api.fetchJson(`/public/decisions/${publicId}`)).status).toBe(410);
    const after = await getProof(publicId);
    expect(after.body.status).toBe('WITHDRAWN');
    expect(after.body.events.map((e) => [e.action, e.inclusion === null])).toEqual([
      ['decision.publish', false],
      ['decision.correct', false],
      ['decision.withdraw', true],
    ]);
    expect(after.text).not.toContain(WITHDRAWAL_REASON);
    expect(after.text).not.toContain('赵六');

    // Covered at the next checkpoint; the verifier proves the growth since its remembered checkpoint.
    expect((await runCheckpoints({ chains: [chain] })).created).toBe(1);
    const grown = await runVerifier('--decision', publicId, '--state', state);
    expect(grown.code, `${grown.out}\n${grown.err}`).toBe(0);
    expect(grown.out).toContain('3/3 个事件已由签名检查点证明');

    // Someone with write access rewrites the root of the latest checkpoint in the table.
    const newest = (await latestCheckpoint(chain))!;
    const item = (await documentClient().send(new GetCommand({ TableName: auditTable, Key: checkpointKey(chain, newest.treeSize) }))).Item!;
    await documentClient().send(new PutCommand({ TableName: auditTable, Item: { ...item, rootHash: 'ab'.repeat(32) } }));
    const tampered = await runVerifier('--decision', publicId, '--state', state);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toContain(`发现篡改 / TAMPERING FOUND at ${chain} @ ${newest.treeSize}`);
    const stateless = await runVerifier('--chain', chain);
    expect(stateless.code).toBe(1);
    expect(stateless.err).toMatch(/签名无效|SIGNATURE/);
  });

  it('answers 404 for an unknown id and 400 for a malformed one; the route is in the OpenAPI document', async () => {
    expect((await api.fetchJson(`/public/decisions/${randomUUID()}/proof`)).status).toBe(404);
    expect((await api.fetchJson('/public/decisions/not-an-id/proof')).status).toBe(400);
    type Schema = { $ref?: string; properties?: Record<string, unknown> };
    const doc = await api.fetchJson<{ paths: Record<string, { get?: { responses: Record<string, { content: { 'application/json': { schema: Schema } } }> } }>; components: { schemas: Record<string, Schema> } }>('/public/openapi.json');
    const op = doc.body.paths['/public/decisions/{id}/proof']?.get;
    expect(op).toBeDefined();
    const schema = op!.responses['200']!.content['application/json'].schema;
    expect(schema.$ref).toBe('#/components/schemas/DecisionProof');
    expect(Object.keys(doc.body.components.schemas.DecisionProof?.properties ?? {})).toEqual(['id', 'status', 'events']);
    expect(Object.keys(doc.body.components.schemas.DecisionProofEvent?.properties ?? {})).toEqual(['chain', 'seq', 'leafHash', 'eventHash', 'action', 'label', 'at', 'inclusion', 'checkpoint']);
  });
});
