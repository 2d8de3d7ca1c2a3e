/**
 * Evidence from field devices through the HTTP API (R3–R7, N7): a body camera gets a token with its
 * client credentials, uploads straight to s3rver with presigned URLs (one PUT, or parts it can resume),
 * and the object-created event verifies and seals it. Staff then read it with its signed manifest,
 * fetch it on the chain of custody, and admins set legal holds and record exceptions to the
 * recording rules that gate issuing a decision.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GetObjectLegalHoldCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { createPower, emfLines, metricNames, startApi, uniqueId, type ApiResponse, type TestApi, simpleWarningDraft } from './helpers.ts';

const MiB = 1024 * 1024;

let api: TestApi;
let admin: string;
let officer: string;
let leader: string;
let otherAgencyOfficer: string;
let agencyId: string;
let otherAgencyId: string;
const officerIds: string[] = [];
let suspendedOfficerId: string;
const powerCode = uniqueId('EV').toUpperCase();
let certSeq = 0;

interface Credentials {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scope: string;
}
interface DeviceView {
  id: string;
  version: number;
  status: string;
  credentials: Credentials;
}
let device: DeviceView;
let deviceToken: string;
let secondDeviceToken: string;

interface Err {
  error: { code: string; message: string; details?: (Record<string, unknown> & { path?: string; message: string })[] };
}
interface CaseView {
  id: string;
  caseNo: string;
  version: number;
}
interface Ticket {
  uploadId: string;
  evidenceId: string;
  status: string;
  single: boolean;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string; start: number; end: number }[];
  headers?: Record<string, string>;
  uploaded?: { partNumber: number; etag: string; size: number }[];
  remainingParts: number;
  expiresAt: string;
}
interface Verification {
  signatureValid: boolean | null;
  manifestMatchesRecord: boolean | null;
  objectPresent: boolean;
  objectSizeMatches: boolean | null;
  hashMatches?: boolean;
}
interface EvidenceView {
  id: string;
  caseId: string;
  caseNo: string;
  actId?: string;
  status: string;
  mediaType: string;
  objectKey: string;
  sha256: string;
  sizeBytes: number;
  rejectReason?: string;
  sealedAt?: string;
  retainUntil?: string;
  manifest?: Record<string, unknown>;
  signature?: { keyId: string; algorithm: string; value: string };
  legalHold?: { on: boolean; reason: string };
  verification?: Verification;
  version: number;
}
interface AuditPage {
  items: { action: string; actor: { sub: string; name: string }; change: Record<string, unknown> }[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const idNumber = (seq: string) => {
  const first = `32130219850312${seq}`;
  return first + idNumberCheckChar(first);
};

async function createAgency(id: string) {
  const res = await api.fetchJson('/agencies', { token: admin, json: { id, name: `证据测试局${id}`, level: 'CITY', region: '测试市' } });
  expect(res.status, res.text).toBe(201);
}

async function newOfficer(extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<{ id: string }>('/officers', {
    token: admin,
    json: {
      name: '证据测试员',
      agencyId,
      certificateNo: `6${String(Date.now()).slice(-7)}${String(++certSeq).padStart(3, '0')}`,
      categories: ['食品安全'],
      region: '测试市',
      validUntil: '2029-12-31',
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function registerDevice(agency: string): Promise<DeviceView> {
  const res = await api.fetchJson<DeviceView>('/devices', {
    token: admin,
    json: { serial: `BC-${uniqueId('s').toUpperCase()}`, model: '执法记录仪 X1', kind: 'BODY_CAMERA', agencyId: agency },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** The OAuth client-credentials grant, as a device does it. */
async function tokenRequest(credentials: Credentials, secret = credentials.clientSecret) {
  const res = await fetch(credentials.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${credentials.clientId}:${secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=evidence%2Fupload',
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string } };
}

async function deviceTokenOf(credentials: Credentials): Promise<string> {
  const res = await tokenRequest(credentials);
  expect(res.status).toBe(200);
  expect(res.body.access_token).toBeTruthy();
  return res.body.access_token!;
}

const personParty = () => ({
  kind: 'PERSON',
  name: '张三丰',
  idNumber: idNumber('123'),
  phone: '13912345678',
  address: '宿迁市宿城区幸福路88号3幢201室',
});

async function openCase(): Promise<CaseView> {
  const res = await api.fetchJson<CaseView>('/cases', {
    token: officer,
    json: {
      agencyId,
      enforcementType: 'PENALTY',
      powerCode,
      party: personParty(),
      handlingOfficerIds: officerIds.slice(0, 2),
      filingDate: '2026-03-02',
      summary: '涉嫌经营超过保质期的食品',
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function recordAct(caseId: string, type: string, at: string): Promise<string> {
  const res = await api.fetchJson<{ id: string }>(`/cases/${caseId}/acts`, {
    token: officer,
    json: { type, at, place: '宿城区某超市', officerIds: officerIds.slice(0, 2), notes: '现场执法' },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const uploadBody = (caseId: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) => ({
  caseId,
  mediaType: 'PHOTO',
  fileName: '现场照片 001.jpg',
  contentType: 'image/jpeg',
  sizeBytes: bytes.length,
  sha256: sha256(bytes),
  capturedAt: '2026-03-03T10:15:00+08:00',
  capturePlace: { text: '宿城区幸福路某超市', gps: { lat: 33.96, lon: 118.28, accuracyMeters: 5 } },
  collectorOfficerId: officerIds[0],
  proves: '超市货架上陈列超过保质期的食品',
  ...extra,
});

function startUpload(token: string, body: Record<string, unknown>) {
  return api.fetchJson<Ticket & Err>('/evidence/uploads', { token, json: body });
}

/** PUT bytes to a presigned URL; a Buffer body gives fetch the Content-Length S3 needs. */
async function putBytes(url: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; text: string }> {
  const res = await fetch(url, { method: 'PUT', headers, body: Buffer.from(bytes) });
  return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
}

function complete(token: string, id: string, parts?: { partNumber: number; etag: string }[]) {
  return api.fetchJson<EvidenceView & Err>(`/evidence/uploads/${id}/complete`, { token, json: parts ? { parts } : {} });
}

/** Polls the device's view of its upload until the seal function has decided (SEALED or REJECTED). */
async function settled(token: string, id: string): Promise<EvidenceView> {
  const deadline = Date.now() + 15_000;
  let last: ApiResponse<EvidenceView> | undefined;
  while (Date.now() < deadline) {
    last = await api.fetchJson<EvidenceView>(`/evidence/uploads/${id}`, { token });
    expect(last.status, last.text).toBe(200);
    if (last.body.status === 'SEALED' || last.body.status === 'REJECTED') return last.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`upload ${id} still ${last?.body.status} after 15 s`);
}

/** Start, single PUT, complete, and wait: what a device does with a small file. */
async function uploadSmall(caseId: string, bytes: Uint8Array, extra: Record<string, unknown> = {}, token = deviceToken) {
  const ticket = await startUpload(token, uploadBody(caseId, bytes, extra));
  expect(ticket.status, ticket.text).toBe(201);
  expect(ticket.body.single).toBe(true);
  const put = await putBytes(ticket.body.parts[0]!.url, bytes, ticket.body.headers);
  expect(put.status, put.text).toBe(200);
  const done = await complete(token, ticket.body.uploadId);
  expect([200, 202], done.text).toContain(done.status);
  return { ticket: ticket.body, completed: done, evidence: await settled(token, ticket.body.uploadId) };
}

async function auditOf(entityType: string, entityId: string) {
  const res = await api.fetchJson<AuditPage>(`/audit/events?entityType=${entityType}&entityId=${entityId}&limit=100`, { token: admin });
  expect(res.status, res.text).toBe(200);
  return res.body.items;
}

function s3(): S3Client {
  return new S3Client({
    endpoint: process.env.AWS_ENDPOINT_URL_S3!,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '法制科管理员' });
  agencyId = uniqueId('evid');
  otherAgencyId = uniqueId('evid2');
  await createAgency(agencyId);
  await createAgency(otherAgencyId);
  for (let i = 0; i < 3; i++) officerIds.push(await newOfficer());
  suspendedOfficerId = await newOfficer({ certificateStatus: 'SUSPENDED' });
  officer = await api.token(['officer'], { name: '承办人', agencyId, officerId: officerIds[0]! });
  leader = await api.token(['leader'], { name: '负责人', agencyId });
  otherAgencyOfficer = await api.token(['officer'], { name: '外局执法员', agencyId: otherAgencyId });
  const power = await createPower(api, admin, powerCode, agencyId);
  expect(power.status, power.text).toBe(201);
  device = await registerDevice(agencyId);
  const second = await registerDevice(agencyId);
  deviceToken = await deviceTokenOf(device.credentials);
  secondDeviceToken = await deviceTokenOf(second.credentials);
});
afterAll(async () => api?.stop());

describe('device authentication (R4)', () => {
  it('registration hands out client credentials for the evidence/upload scope at this server', () => {
    expect(device.credentials).toMatchObject({ tokenUrl: `${api.url}/oauth2/token`, scope: 'evidence/upload' });
    expect(device.credentials.clientSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses no token, a user ID token on a device route, a device token on a user route, and a wrong secret', async () => {
    const c = await openCase();
    const body = uploadBody(c.id, Buffer.from('x'));
    expect((await api.fetchJson('/evidence/uploads', { json: body })).status).toBe(401);
    expect((await api.fetchJson('/evidence/uploads', { token: admin, json: body })).status).toBe(401);
    expect((await api.fetchJson(`/evidence/uploads/${randomUUID()}`, { token: officer })).status).toBe(401);
    // The device token itself is good on a device route (an unknown upload, not a refused token)...
    const unknown = await api.fetchJson<Err>(`/evidence/uploads/${randomUUID()}`, { token: deviceToken });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);
    // ...and worthless on a user route.
    expect((await api.fetchJson(`/cases/${c.id}/evidence`, { token: deviceToken })).status).toBe(401);
    expect((await api.fetchJson(`/cases/${c.id}/recording-gaps`, { token: deviceToken })).status).toBe(401);

    const wrong = await tokenRequest(device.credentials, `${device.credentials.clientSecret.slice(0, -2)}xx`);
    expect([wrong.status, wrong.body.error]).toEqual([401, 'invalid_client']);
    expect(wrong.body.access_token).toBeUndefined();
  });

  it('a revoked device is refused with DEVICE_REVOKED, even with a token obtained before', async () => {
    const c = await openCase();
    const throwaway = await registerDevice(agencyId);
    const token = await deviceTokenOf(throwaway.credentials);
    const before = await startUpload(token, uploadBody(c.id, Buffer.from('before revoking')));
    expect(before.status, before.text).toBe(201);

    const revoked = await api.fetchJson<{ status: string }>(`/devices/${throwaway.id}/revoke`, { token: admin, json: { version: throwaway.version, reason: '设备遗失' } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.status).toBe('REVOKED');

    const after = await startUpload(token, uploadBody(c.id, Buffer.from('after revoking')));
    expect([after.status, after.body.error?.code]).toEqual([403, 'DEVICE_REVOKED']);
    const finish = await complete(token, before.body.uploadId);
    expect([finish.status, finish.body.error?.code]).toEqual([403, 'DEVICE_REVOKED']);
    // No new token either, as in AWS where revoking deletes the device's app client.
    const fresh = await tokenRequest(throwaway.credentials);
    expect([fresh.status, fresh.body.error]).toEqual([401, 'invalid_client']);
  });

  it('rotating credentials voids the old secret and tokens at once; the new ones work', async () => {
    const c = await openCase();
    const camera = await registerDevice(agencyId);
    const oldToken = await deviceTokenOf(camera.credentials);
    expect((await api.fetchJson(`/devices/${camera.id}/credentials`, { token: officer, json: { version: camera.version, reason: '密钥泄露' } })).status).toBe(403);
    const rotated = await api.fetchJson<DeviceView>(`/devices/${camera.id}/credentials`, { token: admin, json: { version: camera.version, reason: '密钥泄露' } });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.credentials.clientId).not.toBe(camera.credentials.clientId);
    expect(rotated.body.credentials.clientSecret).not.toBe(camera.credentials.clientSecret);

    const withOld = await startUpload(oldToken, uploadBody(c.id, Buffer.from('old token')));
    expect([withOld.status, withOld.body.error?.code]).toEqual([403, 'DEVICE_UNKNOWN']);
    expect((await tokenRequest(camera.credentials)).status).toBe(401);
    const withNew = await startUpload(await deviceTokenOf(rotated.body.credentials), uploadBody(c.id, Buffer.from('new token')));
    expect(withNew.status, withNew.text).toBe(201);
    expect((await auditOf('Device', camera.id)).map((e) => e.action)).toEqual(['device.register', 'device.credentials.rotate']);
    // The secret is never shown again.
    const read = await api.fetchJson<Record<string, unknown>>(`/devices/${camera.id}`, { token: admin });
    expect(JSON.stringify(read.body)).not.toContain(rotated.body.credentials.clientSecret);
  });
});

describe('a small file in one PUT (R4, R6, R7)', () => {
  it('is verified, sealed for 30 years with a signed manifest, audited, and listed on the case', async () => {
    const c = await openCase();
    const bytes = randomBytes(5 * 1024 + 7);
    const ticket = await startUpload(deviceToken, uploadBody(c.id, bytes));
    expect(ticket.status, ticket.text).toBe(201);
    expect(ticket.body).toMatchObject({ single: true, partCount: 1, remainingParts: 0, status: 'UPLOADING' });
    expect(ticket.body.parts).toHaveLength(1);
    expect(ticket.body.parts[0]).toMatchObject({ partNumber: 1, start: 0, end: bytes.length });
    expect(ticket.body.headers?.['x-amz-checksum-sha256']).toBe(Buffer.from(sha256(bytes), 'hex').toString('base64'));
    // URLs live at most 15 minutes.
    const ttl = Date.parse(ticket.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);

    const put = await putBytes(ticket.body.parts[0]!.url, bytes, ticket.body.headers);
    expect(put.status, put.text).toBe(200);
    const done = await complete(deviceToken, ticket.body.uploadId);
    // 202 while the hash is checked; 200 if the object-created event was quicker.
    expect([200, 202], done.text).toContain(done.status);
    expect(done.body.status).toBe(done.status === 202 ? 'VERIFYING' : 'SEALED');

    const sealed = await settled(deviceToken, ticket.body.uploadId);
    expect(sealed.status).toBe('SEALED');

    const detail = await api.fetchJson<EvidenceView>(`/evidence/${ticket.body.evidenceId}`, { token: officer });
    expect(detail.status, detail.text).toBe(200);
    const e = detail.body;
    expect(e.manifest).toEqual({
      evidenceId: ticket.body.evidenceId,
      caseNo: c.caseNo,
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
      capturedAt: '2026-03-03T10:15:00+08:00',
      capturePlace: { text: '宿城区幸福路某超市', gps: { lat: 33.96, lon: 118.28, accuracyMeters: 5 } },
      collectorOfficerId: officerIds[0],
      proves: '超市货架上陈列超过保质期的食品',
      mediaType: 'PHOTO',
      sealedAt: e.sealedAt,
    });
    expect(e.signature).toMatchObject({ algorithm: 'ECDSA_SHA_256' });
    expect(e.signature?.value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const sealedAt = new Date(e.sealedAt!);
    const until = new Date(e.retainUntil!);
    expect(until.getUTCFullYear() - sealedAt.getUTCFullYear()).toBe(30);
    expect(until.toISOString().slice(4)).toBe(sealedAt.toISOString().slice(4));
    expect(e.verification).toMatchObject({ signatureValid: true, manifestMatchesRecord: true, objectPresent: true, objectSizeMatches: true });
    expect(e.verification?.hashMatches).toBeUndefined();

    const rehashed = await api.fetchJson<EvidenceView>(`/evidence/${e.id}?verifyHash=true`, { token: officer });
    expect(rehashed.status, rehashed.text).toBe(200);
    expect(rehashed.body.verification).toMatchObject({ signatureValid: true, hashMatches: true });

    // Staff of another agency see nothing of it.
    expect((await api.fetchJson(`/evidence/${e.id}`, { token: otherAgencyOfficer })).status).toBe(403);

    const actions = (await auditOf('Evidence', e.id)).map((x) => x.action);
    // The device's completion goes on record once, also when the object-created event sealed the
    // object first (200); which of the two came first is the race's.
    expect(actions[0]).toBe('evidence.upload.start');
    expect([...actions].sort()).toEqual(['evidence.seal', 'evidence.upload.complete', 'evidence.upload.start']);

    // Completing again changes nothing.
    const again = await complete(deviceToken, ticket.body.uploadId);
    expect(again.status, again.text).toBe(200);
    expect(again.body.status).toBe('SEALED');
    expect(again.body.sealedAt).toBe(e.sealedAt);
    expect((await auditOf('Evidence', e.id)).filter((x) => x.action === 'evidence.seal')).toHaveLength(1);

    const list = await api.fetchJson<{ items: EvidenceView[] }>(`/cases/${c.id}/evidence`, { token: officer });
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((x) => [x.id, x.status])).toEqual([[e.id, 'SEALED']]);
  });
});

describe('a large file in parts, resumed (R4)', () => {
  it('lists what is held, hands out fresh URLs for the rest, refuses missing parts and wrong ETags without losing anything', async () => {
    const c = await openCase();
    const bytes = randomBytes(20 * MiB);
    const ticket = await startUpload(deviceToken, uploadBody(c.id, bytes, { mediaType: 'VIDEO', fileName: 'seizure.mp4', contentType: 'video/mp4' }));
    expect(ticket.status, ticket.text).toBe(201);
    expect(ticket.body).toMatchObject({ single: false, partSize: 16 * MiB, partCount: 2, remainingParts: 0 });
    expect(ticket.body.parts.map((p) => [p.partNumber, p.start, p.end])).toEqual([
      [1, 0, 16 * MiB],
      [2, 16 * MiB, 20 * MiB],
    ]);
    const [p1] = ticket.body.parts;
    const first = await putBytes(p1!.url, bytes.subarray(p1!.start, p1!.end));
    expect(first.status, first.text).toBe(200);
    expect(first.etag).toBeTruthy();

    // The network dropped: the device asks what is still missing.
    const resume = await api.fetchJson<Ticket>(`/evidence/uploads/${ticket.body.uploadId}/parts`, { token: deviceToken, json: {} });
    expect(resume.status, resume.text).toBe(200);
    expect(resume.body.uploaded?.map((p) => [p.partNumber, p.etag.replace(/"/g, ''), p.size])).toEqual([[1, first.etag!.replace(/"/g, ''), 16 * MiB]]);
    expect(resume.body.parts.map((p) => [p.partNumber, p.start, p.end])).toEqual([[2, 16 * MiB, 20 * MiB]]);
    expect(resume.body.remainingParts).toBe(0);

    const early = await complete(deviceToken, ticket.body.uploadId, [{ partNumber: 1, etag: first.etag! }]);
    expect([early.status, early.body.error?.code], early.text).toEqual([409, 'PARTS_MISSING']);
    expect(early.body.error?.details?.[0]?.missing).toEqual([2]);

    const second = await putBytes(resume.body.parts[0]!.url, bytes.subarray(16 * MiB));
    expect(second.status, second.text).toBe(200);

    const wrongEtag = await complete(deviceToken, ticket.body.uploadId, [
      { partNumber: 1, etag: first.etag! },
      { partNumber: 2, etag: '"0123456789abcdef0123456789abcdef"' },
    ]);
    expect([wrongEtag.status, wrongEtag.body.error?.code], wrongEtag.text).toEqual([400, 'ETAG_MISMATCH']);
    const still = await api.fetchJson<EvidenceView>(`/evidence/uploads/${ticket.body.uploadId}`, { token: deviceToken });
    expect(still.body.status).toBe('UPLOADING');
    // Both parts are still held.
    const held = await api.fetchJson<Ticket>(`/evidence/uploads/${ticket.body.uploadId}/parts`, { token: deviceToken, json: {} });
    expect(held.body.uploaded?.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(held.body.parts).toEqual([]);

    const done = await complete(deviceToken, ticket.body.uploadId, [
      { partNumber: 1, etag: first.etag! },
      { partNumber: 2, etag: second.etag! },
    ]);
    expect([200, 202], done.text).toContain(done.status);
    const sealed = await settled(deviceToken, ticket.body.uploadId);
    expect(sealed.status).toBe('SEALED');
    expect(sealed.sizeBytes).toBe(20 * MiB);

    const detail = await api.fetchJson<EvidenceView>(`/evidence/${sealed.id}?verifyHash=true`, { token: officer });
    expect(detail.body.verification).toMatchObject({ signatureValid: true, manifestMatchesRecord: true, objectSizeMatches: true, hashMatches: true });

    // Once sealed, there is nothing left to resume.
    const closed = await api.fetchJson<Err>(`/evidence/uploads/${ticket.body.uploadId}/parts`, { token: deviceToken, json: {} });
    expect([closed.status, closed.body.error.code]).toEqual([409, 'UPLOAD_NOT_OPEN']);
  });
});

describe('a file that does not match its declared SHA-256 (R7)', () => {
  it('is REJECTED with the reason, kept in the bucket, and only an admin may fetch it', async () => {
    const c = await openCase();
    const declared = randomBytes(4096);
    const actual = randomBytes(4096);
    const ticket = await startUpload(deviceToken, uploadBody(c.id, declared));
    expect(ticket.status, ticket.text).toBe(201);
    const put = await putBytes(ticket.body.parts[0]!.url, actual, ticket.body.headers);
    // s3rver does not check x-amz-checksum-sha256 (AWS would refuse this PUT): the seal function must.
    expect(put.status, put.text).toBe(200);
    const done = await complete(deviceToken, ticket.body.uploadId);
    expect([200, 202], done.text).toContain(done.status);
    const rejected = await settled(deviceToken, ticket.body.uploadId);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.rejectReason).toContain('SHA-256');
    expect(rejected.rejectReason).toContain(sha256(actual));
    expect(rejected.sealedAt).toBeUndefined();

    const detail = await api.fetchJson<EvidenceView>(`/evidence/${rejected.id}`, { token: officer });
    expect(detail.body.verification).toMatchObject({ signatureValid: null, objectPresent: true });
    expect(detail.body.manifest).toBeUndefined();

    const client = s3();
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: rejected.objectKey }));
      expect(head.ContentLength).toBe(actual.length);
    } finally {
      client.destroy();
    }

    const byOfficer = await api.fetchJson<Err>(`/evidence/${rejected.id}/download-url`, { token: officer, json: { reason: '复核' } });
    expect([byOfficer.status, byOfficer.body.error.code]).toEqual([403, 'REJECTED_EVIDENCE']);
    const byAdmin = await api.fetchJson<{ url: string }>(`/evidence/${rejected.id}/download-url`, { token: admin, json: { reason: '调查哈希不符的原因' } });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    const got = await fetch(byAdmin.body.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(actual)).toBe(true);

    const actions = (await auditOf('Evidence', rejected.id)).map((x) => x.action);
    expect(actions).toContain('evidence.reject');
    expect(actions).not.toContain('evidence.seal');

    // A rejected item proves nothing: it is not sealed on the case.
    const list = await api.fetchJson<{ items: EvidenceView[] }>(`/cases/${c.id}/evidence`, { token: officer });
    expect(list.body.items.map((x) => x.status)).toEqual(['REJECTED']);
  });
});

describe('a device retrying over a bad network (issue 10)', () => {
  it('30 concurrent starts with one Idempotency-Key make one upload; the others get its ticket or 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const c = await openCase();
    const bytes = randomBytes(2048);
    const body = uploadBody(c.id, bytes);
    const key = `upload-${sha256(bytes).slice(0, 32)}`;
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => api.fetchJson<Ticket & Err>('/evidence/uploads', { token: deviceToken, json: body, headers: { 'idempotency-key': key } })),
    );

    const unexpected = answers.filter((r) => r.status !== 201 && !(r.status === 409 && r.body.error.code === 'IDEMPOTENCY_IN_PROGRESS'));
    expect(unexpected.map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(new Set(answers.filter((r) => r.status === 201).map((r) => r.body.uploadId)).size).toBe(1);
    const listed = await api.fetchJson<{ items: { id: string }[] }>(`/cases/${c.id}/evidence`, { token: officer });
    expect(listed.body.items).toHaveLength(1);
    const other = await api.fetchJson<Err>('/evidence/uploads', { token: deviceToken, json: { ...body, fileName: '另一张.jpg' }, headers: { 'idempotency-key': key } });
    expect([other.status, other.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });
});

describe('bad input (R4): a clear 4xx, nothing sealed, nothing lost', () => {
  it('refuses bad R4 fields, an unqualified collector, another agency’s case and someone else’s upload', async () => {
    const c = await openCase();
    const bytes = randomBytes(2048);
    const expectRefused = async (body: Record<string, unknown>, status: number, code?: string, path?: string, token = deviceToken) => {
      const res = await startUpload(token, body);
      expect(res.status, `${JSON.stringify(body)} → ${res.text}`).toBe(status);
      if (code !== undefined) expect(res.body.error.code).toBe(code);
      if (path !== undefined) expect(JSON.stringify(res.body.error.details)).toContain(path);
    };
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    await expectRefused(uploadBody(c.id, bytes, { capturedAt: future }), 400, undefined, 'body.capturedAt');
    await expectRefused(uploadBody(c.id, bytes, { capturedAt: '2026-03-01T10:00:00+08:00' }), 400, 'CAPTURED_BEFORE_FILING');
    await expectRefused(uploadBody(c.id, bytes, { capturedAt: '2026-03-01T23:59:00+08:00' }), 400, 'CAPTURED_BEFORE_FILING');
    await expectRefused(uploadBody(c.id, bytes, { capturedAt: '2026-03-03 10:00' }), 400, undefined, 'body.capturedAt');
    await expectRefused(uploadBody(c.id, bytes, { sha256: 'abc123' }), 400, undefined, 'body.sha256');
    await expectRefused(uploadBody(c.id, bytes, { sha256: 'g'.repeat(64) }), 400, undefined, 'body.sha256');
    await expectRefused(uploadBody(c.id, bytes, { sizeBytes: 5 * 1024 ** 4 + 1 }), 400, undefined, 'body.sizeBytes');
    await expectRefused(uploadBody(c.id, bytes, { sizeBytes: 0 }), 400, undefined, 'body.sizeBytes');
    await expectRefused(uploadBody(c.id, bytes, { proves: undefined }), 400, undefined, 'body.proves');
    await expectRefused(uploadBody(c.id, bytes, { capturePlace: undefined }), 400, undefined, 'body.capturePlace');
    await expectRefused(uploadBody(c.id, bytes, { collectorOfficerId: undefined }), 400, undefined, 'body.collectorOfficerId');
    await expectRefused(uploadBody(c.id, bytes, { capturePlace: { text: '某地', gps: { lat: 91, lon: 0 } } }), 400, undefined, 'body.capturePlace.gps.lat');
    await expectRefused(uploadBody(c.id, bytes, { fileName: '../../etc/passwd' }), 400, undefined, 'body.fileName');
    await expectRefused(uploadBody(c.id, bytes, { mediaType: 'HOLOGRAM' }), 400, undefined, 'body.mediaType');
    await expectRefused(uploadBody(c.id, bytes, { collectorOfficerId: suspendedOfficerId }), 422, 'COLLECTOR_NOT_QUALIFIED');
    await expectRefused(uploadBody(c.id, bytes, { collectorOfficerId: 'no-such-officer' }), 422, 'COLLECTOR_NOT_QUALIFIED');
    const outsider = await newOfficer({ agencyId: otherAgencyId });
    await expectRefused(uploadBody(c.id, bytes, { collectorOfficerId: outsider }), 422, 'COLLECTOR_OF_OTHER_AGENCY');
    await expectRefused(uploadBody(c.id, bytes, { actId: randomUUID() }), 404, 'ACT_NOT_FOUND');

    const foreign = await registerDevice(otherAgencyId);
    await expectRefused(uploadBody(c.id, bytes), 403, 'CASE_OF_OTHER_AGENCY', undefined, await deviceTokenOf(foreign.credentials));

    // Someone else's upload: the second device can neither see, resume nor complete it.
    // The filing day in Shanghai, though still 2026-03-01 in UTC: accepted.
    const ticket = await startUpload(deviceToken, uploadBody(c.id, bytes, { capturedAt: '2026-03-02T07:00:00+08:00' }));
    expect(ticket.status, ticket.text).toBe(201);
    const id = ticket.body.uploadId;
    const theirs = await complete(secondDeviceToken, id);
    expect([theirs.status, theirs.body.error?.code]).toEqual([403, 'NOT_YOUR_UPLOAD']);
    expect((await api.fetchJson(`/evidence/uploads/${id}/parts`, { token: secondDeviceToken, json: {} })).status).toBe(403);
    expect((await api.fetchJson(`/evidence/uploads/${id}`, { token: secondDeviceToken })).status).toBe(403);
    // Completing before the file is there says so and loses nothing.
    const notYet = await complete(deviceToken, id);
    expect([notYet.status, notYet.body.error?.code]).toEqual([409, 'OBJECT_NOT_UPLOADED']);
    // Nor can staff fetch or hold what is not sealed yet.
    const early = await api.fetchJson<Err>(`/evidence/${id}/download-url`, { token: admin, json: { reason: '提前调取' } });
    expect([early.status, early.body.error.code]).toEqual([409, 'NOT_SEALED']);
    const hold = await api.fetchJson<Err>(`/evidence/${id}/legal-hold`, { token: admin, json: { on: true, reason: '提前保全' } });
    expect([hold.status, hold.body.error.code]).toEqual([409, 'NOT_SEALED']);

    // Nothing of the refused requests exists; the one real upload is still the device's to finish.
    const before = await api.fetchJson<{ items: EvidenceView[] }>(`/cases/${c.id}/evidence`, { token: officer });
    expect(before.body.items.map((x) => [x.id, x.status])).toEqual([[id, 'UPLOADING']]);
    const put = await putBytes(ticket.body.parts[0]!.url, bytes, ticket.body.headers);
    expect(put.status, put.text).toBe(200);
    const done = await complete(deviceToken, id);
    expect([200, 202], done.text).toContain(done.status);
    expect((await settled(deviceToken, id)).status).toBe('SEALED');
  });
});

describe('access on the chain of custody (R6)', () => {
  it('a download link needs a reason, returns exactly the sealed bytes, and the access is audited with it', async () => {
    const c = await openCase();
    const bytes = randomBytes(3000);
    const { evidence } = await uploadSmall(c.id, bytes, { mediaType: 'AUDIO', fileName: '询问录音 1.m4a', contentType: 'audio/mp4' });
    expect(evidence.status).toBe('SEALED');

    const noReason = await api.fetchJson<Err>(`/evidence/${evidence.id}/download-url`, { token: officer, json: {} });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.error.details)).toContain('body.reason');
    const foreign = await api.fetchJson<Err>(`/evidence/${evidence.id}/download-url`, { token: otherAgencyOfficer, json: { reason: '好奇' } });
    expect(foreign.status).toBe(403);

    const reason = `法制审核调取 ${uniqueId('r')}`;
    const link = await api.fetchJson<{ url: string; expiresAt: string; fileName: string }>(`/evidence/${evidence.id}/download-url`, { token: officer, json: { reason } });
    expect(link.status, link.text).toBe(200);
    expect(link.body.fileName).toBe('询问录音 1.m4a');
    const ttl = Date.parse(link.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);

    const got = await fetch(link.body.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(decodeURIComponent(got.headers.get('content-disposition') ?? '')).toContain('询问录音 1.m4a');

    const access = (await auditOf('Evidence', evidence.id)).filter((x) => x.action === 'evidence.access');
    expect(access).toHaveLength(1);
    expect(access[0]!.change).toMatchObject({ reason, caseNo: c.caseNo, officerId: officerIds[0] });
    expect(access[0]!.actor.name).toBe('承办人');
  });
});

describe('legal hold (R6)', () => {
  it('only an admin sets and lifts it, with a reason, on the object itself, and it is audited', async () => {
    const c = await openCase();
    const { evidence } = await uploadSmall(c.id, randomBytes(1024));
    const url = `/evidence/${evidence.id}/legal-hold`;

    expect((await api.fetchJson(url, { token: officer, json: { on: true, reason: '涉诉' } })).status).toBe(403);
    const noReason = await api.fetchJson(url, { token: admin, json: { on: true } });
    expect(noReason.status).toBe(400);

    const set = await api.fetchJson<EvidenceView>(url, { token: admin, json: { on: true, reason: '当事人已提起行政诉讼' } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.legalHold).toMatchObject({ on: true, reason: '当事人已提起行政诉讼' });
    const client = s3();
    try {
      const hold = await client.send(new GetObjectLegalHoldCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: evidence.objectKey }));
      expect(hold.LegalHold?.Status).toBe('ON');

      const twice = await api.fetchJson<Err>(url, { token: admin, json: { on: true, reason: '再次保全' } });
      expect([twice.status, twice.body.error.code]).toEqual([409, 'NO_CHANGE']);

      const lifted = await api.fetchJson<EvidenceView>(url, { token: admin, json: { on: false, reason: '诉讼已终结' } });
      expect(lifted.status, lifted.text).toBe(200);
      expect(lifted.body.legalHold).toMatchObject({ on: false, reason: '诉讼已终结' });
      const after = await client.send(new GetObjectLegalHoldCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: evidence.objectKey }));
      expect(after.LegalHold?.Status).toBe('OFF');
    } finally {
      client.destroy();
    }
    const detail = await api.fetchJson<EvidenceView>(`/evidence/${evidence.id}`, { token: officer });
    expect(detail.body.legalHold?.on).toBe(false);
    // The hold changes the record, never the signed manifest.
    expect(detail.body.verification).toMatchObject({ signatureValid: true, manifestMatchesRecord: true });

    const events = (await auditOf('Evidence', evidence.id)).filter((x) => x.action.startsWith('evidence.legal-hold'));
    expect(events.map((x) => [x.action, x.change.reason])).toEqual([
      ['evidence.legal-hold.set', '当事人已提起行政诉讼'],
      ['evidence.legal-hold.lift', '诉讼已终结'],
    ]);
  });
});

describe('required recordings (R3, R5, N7)', () => {
  it('lists acts lacking their recording, blocks issuing, and an admin’s explained exception lifts the block', async () => {
    const c = await openCase();
    const seizure = await recordAct(c.id, 'SEIZURE', '2026-03-04T10:00:00+08:00');
    const inspection = await recordAct(c.id, 'INSPECTION', '2026-03-03T09:00:00+08:00');
    await recordAct(c.id, 'OTHER', '2026-03-05T09:00:00+08:00');
    const gapsOf = async () => {
      const res = await api.fetchJson<{ gaps: { actId: string; actType: string; requires: string }[]; exceptions: { actId: string; reason: string }[] }>(`/cases/${c.id}/recording-gaps`, { token: officer });
      expect(res.status, res.text).toBe(200);
      return res.body;
    };

    expect((await gapsOf()).gaps.map((g) => [g.actId, g.actType, g.requires])).toEqual([
      [inspection, 'INSPECTION', 'PHOTO_AUDIO_OR_VIDEO'],
      [seizure, 'SEIZURE', 'FULL_VIDEO'],
    ]);

    // A photo of the seizure is not the full video it needs.
    const photo = await uploadSmall(c.id, randomBytes(1500), { actId: seizure, capturedAt: '2026-03-04T10:05:00+08:00' });
    expect(photo.evidence.status).toBe('SEALED');
    expect((await gapsOf()).gaps.map((g) => g.actId)).toEqual([inspection, seizure]);
    // A video that was never sealed proves nothing either.
    const unsealed = await startUpload(deviceToken, uploadBody(c.id, randomBytes(10), { actId: seizure, mediaType: 'VIDEO' }));
    expect(unsealed.status).toBe(201);
    expect((await gapsOf()).gaps.map((g) => g.actId)).toEqual([inspection, seizure]);

    const video = await uploadSmall(c.id, randomBytes(2500), { actId: seizure, mediaType: 'VIDEO', fileName: 'seizure.mp4', contentType: 'video/mp4', capturedAt: '2026-03-04T10:00:00+08:00' });
    expect(video.evidence.status).toBe('SEALED');
    expect((await gapsOf()).gaps.map((g) => g.actId)).toEqual([inspection]);

    const draft = await api.fetchJson<{ version: number; scope: { inScope: boolean } }>(`/cases/${c.id}/decision`, {
      method: 'PUT',
      token: officer,
      json: simpleWarningDraft({ documentText: '当事人于2026年3月1日经营超过保质期的食品。决定给予警告。' }),
    });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.scope.inScope).toBe(false);
    const blocked = await api.fetchJson<Err>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: draft.body.version } });
    expect([blocked.status, blocked.body.error.code], blocked.text).toEqual([409, 'RECORDING_INCOMPLETE']);
    expect(blocked.body.error.details?.map((d) => d.actId)).toEqual([inspection]);

    const body = { actId: inspection, reason: '现场检查时执法记录仪电量耗尽，未能录像，已补充书面笔录' };
    expect((await api.fetchJson(`/cases/${c.id}/recording-exceptions`, { token: officer, json: body })).status).toBe(403);
    expect((await api.fetchJson(`/cases/${c.id}/recording-exceptions`, { token: admin, json: { ...body, reason: '没电了' } })).status).toBe(400);
    const unknownAct = await api.fetchJson<Err>(`/cases/${c.id}/recording-exceptions`, { token: admin, json: { ...body, actId: randomUUID() } });
    expect([unknownAct.status, unknownAct.body.error.code]).toEqual([404, 'ACT_NOT_FOUND']);
    const recorded = await api.fetchJson<{ actId: string; reason: string; recordedBy: string }>(`/cases/${c.id}/recording-exceptions`, { token: admin, json: body });
    expect(recorded.status, recorded.text).toBe(201);
    expect(recorded.body).toMatchObject({ actId: inspection, reason: body.reason, recordedBy: '法制科管理员' });

    const report = await gapsOf();
    expect(report.gaps).toEqual([]);
    expect(report.exceptions.map((x) => [x.actId, x.reason])).toEqual([[inspection, body.reason]]);

    const duplicate = await api.fetchJson<Err>(`/cases/${c.id}/recording-exceptions`, { token: admin, json: { ...body, reason: '另一份情况说明，内容不同' } });
    expect(duplicate.status, duplicate.text).toBe(409);
    expect((await gapsOf()).exceptions).toHaveLength(1);

    const caseEvents = (await auditOf('Case', c.id)).filter((x) => x.action === 'case.recording-exception');
    expect(caseEvents.map((x) => x.change.actId)).toEqual([inspection]);

    const issued = await api.fetchJson<{ status: string }>(`/cases/${c.id}/decision/issue`, { token: leader, json: { version: draft.body.version } });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.status).toBe('ISSUED');
  });
});

describe('uploads left unfinished (R4)', () => {
  it('are aborted after 24 hours by the scheduled job: parts freed, record ABORTED and audited, completion refused', async () => {
    const c = await openCase();
    const bytes = randomBytes(20 * MiB);
    const multi = await startUpload(deviceToken, uploadBody(c.id, bytes, { mediaType: 'VIDEO', fileName: '扣押过程.mp4', contentType: 'video/mp4' }));
    expect(multi.status, multi.text).toBe(201);
    const first = multi.body.parts[0]!;
    expect((await putBytes(first.url, bytes.subarray(first.start, first.end))).status).toBe(200);
    const small = randomBytes(2048);
    const single = await startUpload(deviceToken, uploadBody(c.id, small));
    expect(single.status, single.text).toBe(201);

    // What the hourly schedule runs (shared/schedules.ts → evidence-seal), a day and an hour later.
    const { abortAbandonedUploads } = await import('../../shared/services/evidence.ts');
    const later = new Date(Date.now() + 25 * 60 * 60 * 1000);
    const { aborted } = await abortAbandonedUploads(later);
    expect(aborted.map((e) => e.id)).toEqual(expect.arrayContaining([multi.body.uploadId, single.body.uploadId]));

    const record = await api.fetchJson<EvidenceView & { s3UploadId: string; objectKey: string; abortedAt: string }>(`/evidence/${multi.body.uploadId}`, { token: officer });
    expect(record.body.status).toBe('ABORTED');
    expect(record.body.abortedAt).toBe(later.toISOString());
    const { ListPartsCommand } = await import('@aws-sdk/client-s3');
    const gone = await s3()
      .send(new ListPartsCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: record.body.objectKey, UploadId: record.body.s3UploadId }))
      .then(() => 'still there', (e: Error) => e.name);
    expect(gone).toBe('NoSuchUpload');
    expect((await auditOf('Evidence', multi.body.uploadId)).map((e) => e.action)).toEqual(['evidence.upload.start', 'evidence.upload.abort']);

    const late = await complete(deviceToken, multi.body.uploadId, [{ partNumber: 1, etag: 'x' }]);
    expect([late.status, late.body.error.code]).toEqual([409, 'UPLOAD_ABORTED']);
    // Run again: nothing is due twice.
    const again = await abortAbandonedUploads(later);
    expect(again.aborted.map((e) => e.id)).not.toContain(multi.body.uploadId);

    // The log the next morning's digest reads (the 24 hours before 08:00), by time, not by table.
    // (Read directly: the digest itself needs a date with holiday data, and this test runs on any day.)
    const { uploadsAbortedBetween } = await import('../../shared/store/evidence.ts');
    const logged = await uploadsAbortedBetween(new Date(later.getTime() - 60_000).toISOString(), new Date(later.getTime() + 60_000).toISOString());
    expect(logged.map((e) => e.id)).toContain(multi.body.uploadId);
    expect((await uploadsAbortedBetween(new Date(later.getTime() + 60_000).toISOString(), new Date(later.getTime() + 120_000).toISOString())).map((e) => e.id)).not.toContain(multi.body.uploadId);
  });
});

describe('business metrics of the seal function (issue 13, point 3)', () => {
  it('a sealed upload counts EvidenceSealed and a mismatching one EvidenceRejected, with the agency', async () => {
    const c = await openCase();
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    try {
      const sealedLines = await emfLines(async () => {
        expect((await uploadSmall(c.id, randomBytes(2048))).evidence.status).toBe('SEALED');
      });
      expect(metricNames(sealedLines)).toEqual([['EvidenceSealed', agencyId, 1]]);

      const rejectedLines = await emfLines(async () => {
        const ticket = await startUpload(deviceToken, uploadBody(c.id, randomBytes(2048)));
        expect(ticket.status, ticket.text).toBe(201);
        expect((await putBytes(ticket.body.parts[0]!.url, randomBytes(2048), ticket.body.headers)).status).toBe(200);
        await complete(deviceToken, ticket.body.uploadId);
        expect((await settled(deviceToken, ticket.body.uploadId)).status).toBe('REJECTED');
      });
      expect(metricNames(rejectedLines)).toEqual([['EvidenceRejected', agencyId, 1]]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
