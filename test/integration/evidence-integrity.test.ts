/**
 * Issue 10, points 9 and 10, through the local system: a download reason holding an ID number and a
 * phone leaves neither in the Audit table (the event records that a redaction happened); after a
 * same-size tamper of a sealed object's bytes in s3rver's storage, `download-url` answers 409
 * EVIDENCE_INTEGRITY_FAILED, the record shows INTEGRITY_FAILED and an alert is in the inbox; the
 * scheduled re-verification finds a tampered object and leaves the intact one VERIFIED with its next
 * due date moved on, reading only what is due.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, UpdateCommand } from '../../shared/aws/dynamodb.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runJob } from '../../functions/jobs/handler.ts';
import { documentClient } from '../../shared/aws/clients.ts';
import { tableName } from '../../shared/aws/env.ts';
import { idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { verifyAuditChain } from '../../shared/services/audit.ts';
import { evidenceKey } from '../../shared/store/evidence.ts';
import { createPower, startApi, uniqueId, type TestApi } from './helpers.ts';

const services = inject('localServices');
let api: TestApi;
let admin: string;
let officer: string;
let agencyId: string;
let deviceToken: string;
let caseId: string;
const officerIds: string[] = [];
const powerCode = uniqueId('EI').toUpperCase();

interface Err {
  error: { code: string; message: string };
}
interface Integrity {
  result: string;
  checkedAt: string;
  trigger: string;
  method: string;
  nextDueAt?: string;
  failedAt?: string;
  actualSha256?: string | null;
}
interface EvidenceView {
  id: string;
  status: string;
  objectKey: string;
  sealedAt?: string;
  version: number;
  integrity?: Integrity;
}
interface Alert {
  subject: string;
  text: string;
  agencyId: string;
  kind: string;
}

const idNumber = (first17: string) => first17 + idNumberCheckChar(first17);
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function newOfficer(): Promise<string> {
  const res = await api.fetchJson<{ id: string }>('/officers', {
    token: admin,
    json: { name: '核验测试员', agencyId, certificateNo: `7${String(Date.now()).slice(-7)}${String(officerIds.length).padStart(3, '0')}`, categories: ['食品安全'], region: '测试市', validUntil: '2029-12-31' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

/** A device uploads `bytes` with one PUT; waits until the object-created event sealed it. */
async function sealedEvidence(bytes: Uint8Array): Promise<EvidenceView> {
  const ticket = await api.fetchJson<{ uploadId: string; parts: { url: string }[]; headers?: Record<string, string> }>('/evidence/uploads', {
    token: deviceToken,
    json: {
      caseId,
      mediaType: 'PHOTO',
      fileName: '现场照片.jpg',
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      capturedAt: '2026-03-03T10:15:00+08:00',
      capturePlace: { text: '宿城区幸福路某超市' },
      collectorOfficerId: officerIds[0],
      proves: '货架上陈列超过保质期的食品',
    },
  });
  expect(ticket.status, ticket.text).toBe(201);
  const put = await fetch(ticket.body.parts[0]!.url, { method: 'PUT', headers: ticket.body.headers ?? {}, body: Buffer.from(bytes) });
  expect(put.status, await put.text()).toBe(200);
  const done = await api.fetchJson(`/evidence/uploads/${ticket.body.uploadId}/complete`, { token: deviceToken, json: {} });
  expect([200, 202], done.text).toContain(done.status);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const e = await getEvidence(ticket.body.uploadId);
    if (e.status === 'SEALED') return e;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not sealed in 15 s');
}

async function getEvidence(id: string): Promise<EvidenceView> {
  const res = await api.fetchJson<EvidenceView>(`/evidence/${id}`, { token: admin });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The object's file in s3rver's storage (the global setup's temporary directory). */
async function storedFile(objectKey: string): Promise<string> {
  for (const dir of await readdir(tmpdir())) {
    if (!dir.startsWith('three-systems-s3-')) continue;
    const path = join(tmpdir(), dir, services.evidenceBucket, `${objectKey}._S3rver_object`);
    if (await stat(path).catch(() => undefined)) return path;
  }
  throw new Error(`no stored file for ${objectKey}`);
}

/** Alters the stored bytes in place, same size: what only a misconfiguration allows on AWS. */
async function tamper(objectKey: string): Promise<void> {
  const path = await storedFile(objectKey);
  const bytes = await readFile(path);
  bytes[0] = bytes[0]! ^ 0xff;
  await writeFile(path, bytes);
}

const inbox = async (): Promise<Alert[]> =>
  (await readFile(process.env.LOCAL_INBOX_FILE!, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Alert);

/** The evidence's events as stored in the Audit table (its per-entity index). */
async function storedEvents(evidenceId: string): Promise<Record<string, unknown>[]> {
  const res = await documentClient().send(
    new QueryCommand({ TableName: tableName('Audit'), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': `ENTITY#Evidence#${evidenceId}` } }),
  );
  return res.Items ?? [];
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '法制科管理员' });
  agencyId = uniqueId('integ');
  expect((await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `完整性测试局${agencyId}`, level: 'CITY', region: '测试市' } })).status).toBe(201);
  for (let i = 0; i < 2; i++) officerIds.push(await newOfficer());
  officer = await api.token(['officer'], { name: '承办人', agencyId, officerId: officerIds[0]! });
  expect((await createPower(api, admin, powerCode, agencyId)).status).toBe(201);
  const device = await api.fetchJson<{ credentials: { clientId: string; clientSecret: string; tokenUrl: string } }>('/devices', {
    token: admin,
    json: { serial: `BC-${uniqueId('s').toUpperCase()}`, model: '执法记录仪 X1', kind: 'BODY_CAMERA', agencyId },
  });
  expect(device.status, device.text).toBe(201);
  const { clientId, clientSecret, tokenUrl } = device.body.credentials;
  const tokenRes = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials&scope=evidence%2Fupload',
  });
  deviceToken = ((await tokenRes.json()) as { access_token: string }).access_token;
  const c = await api.fetchJson<{ id: string }>('/cases', {
    token: officer,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party: { kind: 'PERSON', name: '张三丰', idNumber: idNumber('32130219850312123'), phone: '13912345678', address: '宿迁市宿城区幸福路88号' },
      handlingOfficerIds: officerIds,
      filingDate: '2026-03-02',
      summary: '涉嫌经营超过保质期的食品',
    },
  });
  expect(c.status, c.text).toBe(201);
  caseId = c.body.id;
});
afterAll(async () => api?.stop());

describe('no personal data in the audit trail (issue 10, point 9)', () => {
  it('a download reason with an ID number and a phone: neither is in the Audit table, the event records the redaction, the chain verifies', async () => {
    const e = await sealedEvidence(Buffer.from(`intact photo ${uniqueId()}`));
    const id = idNumber('32010519900101234');
    const phone = '13812345678';
    const res = await api.fetchJson<{ url: string }>(`/evidence/${e.id}/download-url`, { token: officer, json: { reason: `核对当事人身份证 ${id}，联系电话 ${phone}` } });
    expect(res.status, res.text).toBe(200);

    const items = await storedEvents(e.id);
    const access = items.find((i) => i.action === 'evidence.access');
    expect(access).toBeDefined();
    const stored = JSON.stringify(items);
    expect(stored).not.toContain(id);
    expect(stored).not.toContain(phone);
    const change = access!.change as Record<string, unknown>;
    expect(change.reason).toBe('核对当事人身份证 [身份证号已隐去]，联系电话 [电话已隐去]');
    expect(change.redacted).toEqual([{ field: 'reason', kinds: ['ID_NUMBER', 'PHONE'] }]);
    // The link was issued after the bytes were re-hashed (point 10).
    expect(change.hashVerified).toBe(true);

    const report = await verifyAuditChain();
    expect(report.firstBreak).toBeNull();
    expect(report.ok).toBe(true);
  });
});

describe('evidence integrity checked, not only on request (issue 10, point 10)', () => {
  it('after a same-size tamper, download-url answers 409, the record shows INTEGRITY_FAILED and an alert is raised', async () => {
    const e = await sealedEvidence(Buffer.from(`photo to tamper ${uniqueId()}`));
    expect(e.integrity).toMatchObject({ result: 'VERIFIED', trigger: 'seal', method: 'sha256' });
    const alertsBefore = (await inbox()).length;
    await tamper(e.objectKey);

    const refused = await api.fetchJson<Err>(`/evidence/${e.id}/download-url`, { token: officer, json: { reason: '复核录像' } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.code).toBe('EVIDENCE_INTEGRITY_FAILED');
    expect(refused.body.error.message).toMatch(/完整性核验失败/);

    const after = await getEvidence(e.id);
    expect(after.status).toBe('INTEGRITY_FAILED');
    expect(after.integrity).toMatchObject({ result: 'INTEGRITY_FAILED', trigger: 'download', method: 'sha256' });
    expect(after.integrity?.failedAt).toEqual(after.integrity?.checkedAt);
    expect(after.integrity?.actualSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(after.integrity?.nextDueAt).toBeUndefined();

    const alerts = (await inbox()).slice(alertsBefore).filter((a) => a.kind === 'evidence-integrity' && a.subject.includes(e.id));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.agencyId).toBe(agencyId);
    expect(alerts[0]!.text).toContain('INTEGRITY_FAILED');

    const events = await storedEvents(e.id);
    expect(events.filter((i) => i.action === 'evidence.integrity.failed')).toHaveLength(1);
    expect(events.filter((i) => i.action === 'evidence.access')).toHaveLength(0);

    // Refused from now on without hashing again (no second alert); it can still be preserved.
    const again = await api.fetchJson<Err>(`/evidence/${e.id}/download-url`, { token: admin, json: { reason: '调查' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'EVIDENCE_INTEGRITY_FAILED']);
    expect((await inbox()).filter((a) => a.subject.includes(e.id))).toHaveLength(1);
    const hold = await api.fetchJson(`/evidence/${e.id}/legal-hold`, { token: admin, json: { on: true, reason: '完整性核验失败，保全待查' } });
    expect(hold.status, hold.text).toBe(200);
  });

  it('the scheduled job finds a tampered object, leaves the intact one VERIFIED with its next due date moved on, and reads only what is due', async () => {
    const intact = await sealedEvidence(Buffer.from(`intact ${uniqueId()}`));
    const altered = await sealedEvidence(Buffer.from(`altered ${uniqueId()}`));
    const notDue = await sealedEvidence(Buffer.from(`not due ${uniqueId()}`));
    for (const e of [intact, altered, notDue]) {
      expect(Date.parse(e.integrity!.nextDueAt!)).toBeGreaterThan(Date.parse(e.sealedAt!));
      expect(Date.parse(e.integrity!.nextDueAt!) - Date.parse(e.sealedAt!)).toBeLessThanOrEqual(90 * 86_400_000);
    }
    // Arrange: two checks due long ago (nothing else in the shared table is due that early).
    const due = '2000-01-01T00:00:00.000Z';
    for (const e of [intact, altered]) {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName('Cases'),
          Key: evidenceKey(e.id),
          UpdateExpression: 'SET gsi3sk = :sk, integrity.nextDueAt = :due',
          ExpressionAttributeValues: { ':sk': `${due}#${e.id}`, ':due': due },
        }),
      );
    }
    await tamper(altered.objectKey);
    const alertsBefore = (await inbox()).length;

    const scheduledTime = '2000-01-02T00:00:00.000Z';
    const result = await runJob({ schedule: 'evidence-verify', job: 'evidence-verify', scheduledTime });
    expect(result).toMatchObject({ itemsRead: 2, verified: 1, failed: 1, failedIds: [altered.id], sizeOnly: 0, remainingDue: 0 });
    expect(result.bytesHashed).toBeGreaterThan(0);

    const ok = await getEvidence(intact.id);
    expect(ok.status).toBe('SEALED');
    expect(ok.integrity).toMatchObject({ result: 'VERIFIED', trigger: 'schedule', method: 'sha256', checkedAt: scheduledTime, nextDueAt: '2000-04-01T00:00:00.000Z' /* + 90 days (2000 is a leap year) */ });
    const bad = await getEvidence(altered.id);
    expect(bad.status).toBe('INTEGRITY_FAILED');
    expect(bad.integrity).toMatchObject({ result: 'INTEGRITY_FAILED', trigger: 'schedule', failedAt: scheduledTime });
    const untouched = await getEvidence(notDue.id);
    expect([untouched.version, untouched.integrity]).toEqual([notDue.version, notDue.integrity]);

    const alerts = (await inbox()).slice(alertsBefore).filter((a) => a.kind === 'evidence-integrity');
    expect(alerts.map((a) => a.subject)).toEqual([`Evidence integrity failure (${agencyId}): ${altered.id}`]);
    expect((await storedEvents(intact.id)).filter((i) => i.action === 'evidence.integrity.verified')).toHaveLength(1);

    // The next run the same day finds nothing due: the intact one moved on, the failed one left the queue.
    expect(await runJob({ schedule: 'evidence-verify', job: 'evidence-verify', scheduledTime })).toMatchObject({ itemsRead: 0, verified: 0, failed: 0 });
  });
});
