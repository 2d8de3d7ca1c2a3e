/**
 * Agencies and officers through the HTTP API, as an admin and the public would use them
 * (D1, D4, D5, S1, S2; audit trail and optimistic locking of the foundation issue).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../shared/domain/identifiers.ts';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let officerToken: string;

interface Err {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}
interface OfficerView {
  id: string;
  version: number;
  name: string;
  certificateNo: string;
  certificateStatus: string;
  effectiveCertificateStatus: string;
  idNumber?: string;
  phone?: string;
  trainingHoursByYear: { year: number; hours: number; meetsRequirement: boolean }[];
  certificateHistory: { from: string; to: string; reason: string }[];
}
interface AuditPage {
  items: { seq: number; action: string; actor: { sub: string; name: string }; change: Record<string, unknown>; requestId: string }[];
}

const idNumber = (seq: string) => {
  const first = `32130219850312${seq}`;
  return first + idNumberCheckChar(first);
};
let certSeq = 0;
const newCertificateNo = () => `9${String(Date.now()).slice(-8)}${String(++certSeq).padStart(3, '0')}`;

async function createAgency(id: string, extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<{ id: string; version: number }>('/agencies', {
    token: admin,
    json: { id, name: `测试市场监督管理局${id}`, level: 'CITY', region: '测试市', ...extra },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function createOfficer(agencyId: string, extra: Record<string, unknown> = {}) {
  const res = await api.fetchJson<OfficerView>('/officers', {
    token: admin,
    json: {
      name: '王测试',
      agencyId,
      certificateNo: newCertificateNo(),
      categories: ['食品安全'],
      region: '测试市',
      validUntil: '2029-12-31',
      idNumber: idNumber('123'),
      phone: '13800000001',
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '管理员甲' });
  officerToken = await api.token(['officer'], { name: '执法员乙', agencyId: 'sq-city' });
});
afterAll(async () => api.stop());

describe('agencies', () => {
  it('an admin creates a city bureau and a county bureau under it; the public sees both', async () => {
    const city = uniqueId('city');
    await createAgency(city);
    const county = uniqueId('county');
    const res = await api.fetchJson<{ parentId: string; level: string }>('/agencies', {
      token: admin,
      json: { id: county, name: '测试县市场监督管理局', level: 'COUNTY', region: '测试县', parentId: city },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ parentId: city, level: 'COUNTY' });

    const all: { id: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api.fetchJson(
        `/public/agencies?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.map((a) => a.id)).toEqual(expect.arrayContaining([city, county]));
  });

  it('refuses a county without a parent, an unknown parent and a duplicate id', async () => {
    const noParent = await api.fetchJson<Err>('/agencies', {
      token: admin,
      json: { id: uniqueId('c'), name: '无上级县局', level: 'COUNTY', region: '某县' },
    });
    expect(noParent.status).toBe(422);
    expect(noParent.body.error.code).toBe('INVALID_HIERARCHY');

    const unknownParent = await api.fetchJson<Err>('/agencies', {
      token: admin,
      json: { id: uniqueId('c'), name: '某县局', level: 'COUNTY', region: '某县', parentId: 'no-such-agency' },
    });
    expect(unknownParent.status).toBe(404);
    expect(unknownParent.body.error.code).toBe('AGENCY_NOT_FOUND');

    const id = uniqueId('dup');
    await createAgency(id);
    const again = await api.fetchJson<Err>('/agencies', { token: admin, json: { id, name: '重复的局', level: 'CITY', region: '某市' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_EXISTS');
  });

  it('an update carries the version it read; a stale one gets 409 VERSION_CONFLICT', async () => {
    const id = uniqueId('ver');
    const created = await createAgency(id);
    const ok = await api.fetchJson<{ version: number; name: string }>(`/agencies/${id}`, {
      method: 'PATCH',
      token: admin,
      json: { version: created.version, name: '改名后的市场监督管理局' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, name: '改名后的市场监督管理局' });
    const stale = await api.fetchJson<Err>(`/agencies/${id}`, { method: 'PATCH', token: admin, json: { version: 1, region: '别处' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
  });

  it('a create retried with the same Idempotency-Key gets the first answer and creates nothing twice', async () => {
    const key = `retry-${uniqueId()}`;
    const json = { name: '幂等测试市场监督管理局', level: 'CITY', region: '某市' };
    const first = await api.fetchJson<{ id: string }>('/agencies', { token: admin, json, headers: { 'idempotency-key': key } });
    const again = await api.fetchJson<{ id: string }>('/agencies', { token: admin, json, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await api.fetchJson<Err>('/agencies', { token: admin, json: { ...json, region: '别的市' }, headers: { 'idempotency-key': key } });
    expect([other.status, other.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('only admins change agencies: officers get 403, no token 401', async () => {
    const body = { name: '越权创建的局', level: 'CITY', region: '某市' };
    expect((await api.fetchJson<Err>('/agencies', { token: officerToken, json: body })).status).toBe(403);
    expect((await api.fetchJson<Err>('/agencies', { json: body })).status).toBe(401);
  });
});

describe('officers and certificates', () => {
  let agencyId: string;
  beforeAll(async () => {
    agencyId = uniqueId('off');
    await createAgency(agencyId);
  });

  it('personal data is stored for admins but never shown to other users or the public', async () => {
    const o = await createOfficer(agencyId);
    expect(o.idNumber).toMatch(/^\d{17}[\dX]$/);

    const asOfficer = await api.fetchJson<Record<string, unknown>>(`/officers/${o.id}`, { token: officerToken });
    expect(asOfficer.status).toBe(200);
    expect(asOfficer.body).not.toHaveProperty('idNumber');
    expect(asOfficer.body).not.toHaveProperty('phone');

    const pub = await api.fetchJson<{ items: Record<string, unknown>[] }>(`/public/officers?agencyId=${agencyId}`);
    expect(pub.status).toBe(200);
    expect(pub.body.items).toHaveLength(1);
    expect(Object.keys(pub.body.items[0] ?? {}).sort()).toEqual(
      ['agencyId', 'agencyName', 'categories', 'certificateNo', 'certificateStatus', 'id', 'name', 'region', 'validUntil'].sort(),
    );
    expect(pub.text).not.toContain(o.idNumber ?? 'x');
    expect(pub.text).not.toContain('13800000001');

    // Nor in the audit trail: the trail records that personal data changed, not its value.
    const events = await api.fetchJson<AuditPage>(`/audit/events?entityType=Officer&entityId=${o.id}`, { token: admin });
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).not.toContain(o.idNumber ?? 'x');
    expect(JSON.stringify(events.body)).not.toContain('13800000001');
  });

  it('the public check follows the certificate through suspension, revocation and expiry', async () => {
    const o = await createOfficer(agencyId);
    const verify = async () =>
      api.fetchJson<{ status: string; name: string; agencyName: string }>(`/public/officers/verify/${o.certificateNo}`);

    expect((await verify()).body).toMatchObject({ status: 'VALID', name: '王测试', agencyName: expect.stringContaining('测试市场监督管理局') });

    const suspended = await api.fetchJson<OfficerView>(`/officers/${o.id}/certificate-status`, {
      token: admin,
      json: { version: o.version, status: 'SUSPENDED', reason: '涉嫌违纪，暂扣证件' },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.certificateHistory).toEqual([expect.objectContaining({ from: 'VALID', to: 'SUSPENDED', reason: '涉嫌违纪，暂扣证件' })]);
    expect((await verify()).body.status).toBe('SUSPENDED');

    const revoked = await api.fetchJson<OfficerView>(`/officers/${o.id}/certificate-status`, {
      token: admin,
      json: { version: suspended.body.version, status: 'REVOKED', reason: '吊销' },
    });
    expect((await verify()).body.status).toBe('REVOKED');

    const expired = await createOfficer(agencyId, { validUntil: '2024-01-31' });
    const check = await api.fetchJson<{ status: string }>(`/public/officers/verify/${expired.certificateNo}`);
    expect(check.body.status).toBe('EXPIRED');
    expect(revoked.status).toBe(200);
  });

  it('an unknown certificate number is 404 NOT_FOUND; a malformed one is 400', async () => {
    const unknown = await api.fetchJson<Err>('/public/officers/verify/88888888');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const malformed = await api.fetchJson<Err>(`/public/officers/verify/${encodeURIComponent('12-34')}`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('certificate numbers are unique; a replaced number no longer verifies', async () => {
    const a = await createOfficer(agencyId);
    const dup = await api.fetchJson<Err>('/officers', {
      token: admin,
      json: { name: '李重复', agencyId, certificateNo: a.certificateNo, categories: ['计量'], region: '测试市', validUntil: '2029-01-01' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE_CERTIFICATE');

    const newNo = newCertificateNo();
    const changed = await api.fetchJson<OfficerView>(`/officers/${a.id}`, {
      method: 'PATCH',
      token: admin,
      json: { version: a.version, certificateNo: newNo },
    });
    expect(changed.status).toBe(200);
    expect((await api.fetchJson(`/public/officers/verify/${newNo}`)).status).toBe(200);
    expect((await api.fetchJson(`/public/officers/verify/${a.certificateNo}`)).status).toBe(404);
  });

  it('training hours add up per year against the 40-hour requirement (S1)', async () => {
    const o = await createOfficer(agencyId);
    let version = o.version;
    for (const hours of [24, 16]) {
      const res = await api.fetchJson<OfficerView>(`/officers/${o.id}/training`, {
        token: admin,
        json: { version, year: 2026, hours, course: '行政执法三项制度培训', completedOn: '2026-05-20' },
      });
      expect(res.status).toBe(201);
      version = res.body.version;
    }
    const res = await api.fetchJson<OfficerView>(`/officers/${o.id}/training`, {
      token: admin,
      json: { version, year: 2025, hours: 12, course: '食品安全法培训', completedOn: '2025-03-02' },
    });
    expect(res.body.trainingHoursByYear).toEqual([
      { year: 2026, hours: 40, meetsRequirement: true },
      { year: 2025, hours: 12, meetsRequirement: false },
    ]);
  });

  it('every change is an audit event with actor, action and the change, in the same write', async () => {
    const o = await createOfficer(agencyId);
    await api.fetchJson(`/officers/${o.id}`, { method: 'PATCH', token: admin, json: { version: o.version, region: '测试市宿城区' } });
    const events = await api.fetchJson<AuditPage>(`/audit/events?entityType=Officer&entityId=${o.id}`, { token: admin });
    expect(events.body.items.map((e) => e.action)).toEqual(['officer.create', 'officer.update']);
    expect(events.body.items[1]).toMatchObject({
      actor: { name: '管理员甲' },
      change: { region: { from: '测试市', to: '测试市宿城区' } },
    });
  });

  it('20 concurrent updates of one officer: exactly one per version wins, nothing is lost', async () => {
    const o = await createOfficer(agencyId);
    let version = o.version;
    const winners: string[] = [];
    // Two rounds: every request carries the version all of them read.
    for (let round = 0; round < 2; round++) {
      const regions = Array.from({ length: 20 }, (_, i) => `并发区域${round}-${i}`);
      const results = await Promise.all(
        regions.map((region) =>
          api.fetchJson<OfficerView | Err>(`/officers/${o.id}`, { method: 'PATCH', token: admin, json: { version, region } }),
        ),
      );
      const ok = results.filter((r) => r.status === 200);
      const conflicts = results.filter((r) => r.status === 409);
      expect(ok).toHaveLength(1);
      expect(conflicts).toHaveLength(19);
      for (const c of conflicts) expect((c.body as Err).error.code).toBe('VERSION_CONFLICT');
      const won = ok[0]?.body as OfficerView;
      winners.push(regions[results.indexOf(ok[0] as (typeof results)[number])] ?? '');
      version = won.version;
    }
    const final = await api.fetchJson<OfficerView & { region: string }>(`/officers/${o.id}`, { token: admin });
    expect(final.body.version).toBe(o.version + 2);
    expect(final.body.region).toBe(winners[1]);
    const events = await api.fetchJson<AuditPage>(`/audit/events?entityType=Officer&entityId=${o.id}`, { token: admin });
    expect(events.body.items.map((e) => e.action)).toEqual(['officer.create', 'officer.update', 'officer.update']);
    expect(events.body.items.map((e) => (e.change.region as { to: string } | undefined)?.to)).toEqual(['测试市', winners[0], winners[1]]);
  });
});

describe('bad input gets 400 with a stable code and a Chinese message, and writes nothing', () => {
  let agencyId: string;
  beforeAll(async () => {
    agencyId = uniqueId('bad');
    await createAgency(agencyId);
  });
  const valid = () => ({
    name: '赵校验',
    agencyId,
    certificateNo: newCertificateNo(),
    categories: ['特种设备'],
    region: '测试市',
    validUntil: '2029-12-31',
  });
  const cases: [string, (b: Record<string, unknown>) => unknown, string, string][] = [
    ['malformed certificate number', (b) => ({ ...b, certificateNo: '12#4' }), 'VALIDATION_FAILED', 'body.certificateNo'],
    ['a date that does not exist', (b) => ({ ...b, validUntil: '2027-02-30' }), 'VALIDATION_FAILED', 'body.validUntil'],
    ['an unknown field', (b) => ({ ...b, salary: 1 }), 'VALIDATION_FAILED', 'body.salary'],
    ['a wrong type', (b) => ({ ...b, categories: '食品安全' }), 'VALIDATION_FAILED', 'body.categories'],
    ['an ID number with a wrong check digit', (b) => ({ ...b, idNumber: '321302198503121230' }), 'VALIDATION_FAILED', 'body.idNumber'],
  ];
  it.each(cases)('%s', async (_label, mutate, code, path) => {
    const body = mutate(valid()) as Record<string, unknown>;
    const res = await api.fetchJson<Err>('/officers', { token: admin, json: body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(res.body.error.details?.some((d) => d.path?.startsWith(path))).toBe(true);
    // Nothing was written: the certificate number is still free.
    if (typeof body.certificateNo === 'string' && /^\d+$/.test(body.certificateNo)) {
      expect((await api.fetchJson(`/public/officers/verify/${body.certificateNo}`)).status).toBe(404);
    }
  });

  it('malformed JSON, a body over 1 MB, limit out of range and a tampered cursor', async () => {
    const json = await api.fetchJson<Err>('/officers', { token: admin, body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect([json.status, json.body.error.code]).toEqual([400, 'INVALID_JSON']);

    const big = await api.fetchJson<Err>('/officers', { token: admin, json: { ...valid(), region: 'x'.repeat(1_100_000) } });
    expect([big.status, big.body.error.code]).toEqual([400, 'PAYLOAD_TOO_LARGE']);

    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await api.fetchJson<Err>(`/public/officers?limit=${limit}`);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }

    const first = await api.fetchJson<{ nextCursor: string }>('/public/officers?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const c = first.body.nextCursor;
    const tampered = c.slice(0, 10) + (c[10] === 'A' ? 'B' : 'A') + c.slice(11);
    const res = await api.fetchJson<Err>(`/public/officers?limit=1&cursor=${tampered}`);
    expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    // A cursor from another query is refused too.
    const other = await api.fetchJson<Err>(`/public/officers?limit=1&category=${encodeURIComponent('计量')}&cursor=${c}`);
    expect([other.status, other.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});

describe('field devices (R3, R4)', () => {
  it('an admin registers a device to an agency and an officer, serials are unique, and a revoked device is recorded', async () => {
    const agency = uniqueId('dev');
    await createAgency(agency);
    const officerRes = await api.fetchJson<OfficerView>('/officers', {
      token: admin,
      json: { name: '设备持有人', agencyId: agency, certificateNo: newCertificateNo(), categories: ['综合执法'], region: '测试市', validUntil: '2029-12-31' },
    });
    const serial = `BC-${uniqueId('s').toUpperCase()}`;
    const registered = await api.fetchJson<{ id: string; version: number; status: string; serial: string }>('/devices', {
      token: admin,
      json: { serial: serial.toLowerCase(), model: '执法记录仪 X1', kind: 'BODY_CAMERA', agencyId: agency, assignedOfficerId: officerRes.body.id },
    });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body).toMatchObject({ serial, status: 'ACTIVE' });

    const dup = await api.fetchJson<Err>('/devices', { token: admin, json: { serial, model: '另一台', kind: 'BODY_CAMERA', agencyId: agency } });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'DUPLICATE_DEVICE']);
    const otherAgency = uniqueId('dev2');
    await createAgency(otherAgency);
    const wrongOfficer = await api.fetchJson<Err>('/devices', { token: admin, json: { serial: `${serial}-2`, model: '型号', kind: 'PHONE', agencyId: otherAgency, assignedOfficerId: officerRes.body.id } });
    expect([wrongOfficer.status, wrongOfficer.body.error.code]).toEqual([422, 'OFFICER_OF_OTHER_AGENCY']);
    expect((await api.fetchJson('/devices', { token: officerToken, json: { serial: `${serial}-3`, model: '型号', kind: 'PHONE', agencyId: agency } })).status).toBe(403);

    // Devices (client ids included) are seen by their own agency and admins only.
    const ownOfficer = await api.token(['officer'], { agencyId: agency });
    const list = await api.fetchJson<{ items: { id: string }[] }>(`/devices?agencyId=${agency}`, { token: ownOfficer });
    expect(list.body.items.map((d) => d.id)).toEqual([registered.body.id]);
    expect((await api.fetchJson(`/devices/${registered.body.id}`, { token: ownOfficer })).status).toBe(200);
    const outsider = await api.token(['officer', 'leader'], { agencyId: otherAgency });
    for (const path of [`/devices?agencyId=${agency}`, `/devices/${registered.body.id}`]) {
      const refused = await api.fetchJson<Err>(path, { token: outsider });
      expect([refused.status, refused.body.error.code], path).toEqual([403, 'AGENCY_FORBIDDEN']);
      expect(refused.text).not.toContain(registered.body.id);
    }

    const revoked = await api.fetchJson<{ status: string; revokeReason: string }>(`/devices/${registered.body.id}/revoke`, { token: admin, json: { version: registered.body.version, reason: '设备遗失' } });
    expect(revoked.body).toMatchObject({ status: 'REVOKED', revokeReason: '设备遗失' });
    const again = await api.fetchJson<Err>(`/devices/${registered.body.id}/revoke`, { token: admin, json: { version: registered.body.version + 1, reason: '重复停用' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_STATE']);
    const events = await api.fetchJson<{ items: { action: string }[] }>(`/audit/events?entityType=Device&entityId=${registered.body.id}`, { token: admin });
    expect(events.body.items.map((e) => e.action)).toEqual(['device.register', 'device.revoke']);
  });
});
