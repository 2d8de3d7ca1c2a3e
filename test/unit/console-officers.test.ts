/** 执法人员's pure logic (console/src/lib/officers.ts; issue 16, point 5; D4, D5, S1). */
import { describe, expect, it } from 'vitest';
import { CERTIFICATE_STATUSES, certificateStatusBody, createOfficerBody, trainingBody as apiTrainingBody, updateOfficerBody } from '../../shared/domain/officer.ts';
import {
  CERTIFICATE_STATUS_LABELS,
  SETTABLE_STATUSES,
  appendPage,
  byCertificateNo,
  createBody,
  editBody,
  officerDraft,
  rebaseDraft,
  splitCategories,
  certificateState,
  daysBetween,
  emptyStatus,
  emptyTraining,
  officerChanges,
  statusBody,
  statusConfirmText,
  trainingBody,
  trainingNewestFirst,
  trainingOfYear,
  type OfficerDraft,
  type OfficerView,
} from '../../console/src/lib/officers.ts';

const officer = (over: Partial<OfficerView> = {}): OfficerView => ({
  id: 'o1',
  name: '周立新',
  agencyId: 'sq-city',
  certificateNo: '32130001001',
  categories: ['综合执法'],
  region: '宿迁市',
  certificateStatus: 'VALID',
  validUntil: '2028-12-31',
  legalQualification: true,
  reviewer: false,
  training: [],
  trainingHoursByYear: [],
  certificateHistory: [],
  version: 4,
  ...over,
});

describe('the statuses offered', () => {
  it('are exactly the API’s settable statuses, each with Chinese words, and EXPIRED is never offered', () => {
    expect([...SETTABLE_STATUSES]).toEqual([...CERTIFICATE_STATUSES]);
    for (const s of [...CERTIFICATE_STATUSES, 'EXPIRED']) expect(CERTIFICATE_STATUS_LABELS[s]).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('a certificate as the user reads it', () => {
  const today = '2026-12-02';
  it('counts whole calendar days', () => {
    expect(daysBetween('2026-12-02', '2026-12-31')).toBe(29);
    expect(daysBetween('2026-12-02', '2026-12-01')).toBe(-1);
  });
  it('is valid far from its end, expiring soon within 60 days, expired after its date', () => {
    expect(certificateState(officer(), today)).toEqual({ tone: 'valid', label: '有效', validity: '有效期至 2028-12-31' });
    expect(certificateState(officer({ validUntil: '2027-01-31' }), today)).toEqual({ tone: 'expiring', label: '即将到期', validity: '有效期至 2027-01-31（还剩 60 天）' });
    expect(certificateState(officer({ validUntil: '2027-02-01' }), today).tone).toBe('valid');
    expect(certificateState(officer({ validUntil: '2026-12-02' }), today).tone).toBe('expiring');
    expect(certificateState(officer({ validUntil: '2026-11-30' }), today)).toEqual({ tone: 'expired', label: '已过期', validity: '有效期至 2026-11-30（已过期 2 天）' });
  });
  it('says suspended or revoked first, whatever the date', () => {
    expect(certificateState(officer({ certificateStatus: 'SUSPENDED', validUntil: '2020-01-01' }), today).label).toBe('暂扣');
    expect(certificateState(officer({ certificateStatus: 'REVOKED' }), today).label).toBe('吊销');
  });
});

describe('training', () => {
  it('gives the year’s hours and whether they meet the minimum; a year without records is 0 and not met', () => {
    const o = officer({ trainingHoursByYear: [{ year: 2026, hours: 42, meetsRequirement: true }, { year: 2025, hours: 12, meetsRequirement: false }] });
    expect(trainingOfYear(o, 2026)).toEqual({ hours: 42, met: true });
    expect(trainingOfYear(o, 2025)).toEqual({ hours: 12, met: false });
    expect(trainingOfYear(o, 2024)).toEqual({ hours: 0, met: false });
  });
  it('lists records newest first', () => {
    const list = trainingNewestFirst([
      { completedOn: '2025-03-01', course: 'A' },
      { completedOn: '2026-05-01', course: 'B' },
    ]);
    expect(list.map((t) => t.course)).toEqual(['B', 'A']);
  });
  it('sends the typed numbers as numbers, the API accepts the body, and something not a number goes as typed for the API to refuse beside its field', () => {
    const d = { ...emptyTraining('2026-12-02'), hours: ' 8.5 ', course: ' 行政处罚法专题 ' };
    expect(d.year).toBe('2026');
    const body = trainingBody(d, 4);
    expect(body).toEqual({ version: 4, year: 2026, hours: 8.5, course: '行政处罚法专题', completedOn: '2026-12-02' });
    expect(apiTrainingBody.safeParse(body).success).toBe(true);
    const bad = apiTrainingBody.safeParse(trainingBody({ ...d, hours: '八' }, 4));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('hours');
  });
});

describe('the status change', () => {
  it('sends the new validity only when one was typed, and the API accepts the body', () => {
    const d = { ...emptyStatus(), status: 'SUSPENDED', reason: ' 涉嫌违纪，暂扣证件 ' };
    expect(statusBody(d, 4)).toEqual({ version: 4, status: 'SUSPENDED', reason: '涉嫌违纪，暂扣证件' });
    expect(statusBody({ ...d, validUntil: '2030-12-31' }, 4)).toEqual({ version: 4, status: 'SUSPENDED', reason: '涉嫌违纪，暂扣证件', validUntil: '2030-12-31' });
    expect(certificateStatusBody.safeParse(statusBody(d, 4)).success).toBe(true);
  });
  it('an empty reason is refused by the API beside the reason', () => {
    const r = certificateStatusBody.safeParse(statusBody({ ...emptyStatus(), status: 'REVOKED' }, 4));
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('reason');
  });
  it('confirmation says who, from what to what, and what follows', () => {
    const text = statusConfirmText(officer(), { status: 'REVOKED', reason: 'x', validUntil: '' });
    expect(text).toContain('周立新');
    expect(text).toContain('32130001001');
    expect(text).toContain('由“有效”变更为“吊销”');
    expect(text).toContain('不能再办理案件');
    expect(statusConfirmText(officer({ certificateStatus: 'SUSPENDED' }), { status: 'VALID', reason: 'x', validUntil: '2030-01-01' })).toContain('有效期改为 2030-01-01');
  });
});

describe('the list', () => {
  it('appends a page without showing an officer twice, and sorts by certificate number', () => {
    const a = officer({ id: 'a', certificateNo: '2' });
    const b = officer({ id: 'b', certificateNo: '1' });
    expect(appendPage([a], [a, b]).map((o) => o.id)).toEqual(['a', 'b']);
    expect(byCertificateNo([a, b]).map((o) => o.id)).toEqual(['b', 'a']);
  });
});

describe('what changed under a 409', () => {
  it('names the status change with its reason, new training and a new validity', () => {
    const before = officer();
    const after = officer({
      version: 6,
      certificateStatus: 'SUSPENDED',
      validUntil: '2029-12-31',
      certificateHistory: [{ at: '2026-12-02T01:00:00Z', from: 'VALID', to: 'SUSPENDED', reason: '涉嫌违纪', by: '法规处管理员' }],
      training: [{ year: 2026, hours: 4, course: '证据规则', completedOn: '2026-12-01' }],
    });
    expect(officerChanges(before, after)).toEqual([
      '证件状态：有效 → 暂扣',
      '法规处管理员 变更证件状态（有效 → 暂扣）：涉嫌违纪',
      '有效期至：2028-12-31 → 2029-12-31',
      '新增培训记录：证据规则（4 学时，2026-12-01）',
    ]);
  });
  it('says only the version when nothing it shows changed, and nothing when nothing changed', () => {
    expect(officerChanges(officer(), officer({ version: 5 }))).toEqual(['执法人员信息已被他人更新（版本 4 → 5）']);
    expect(officerChanges(officer(), officer())).toEqual([]);
  });
});

describe('registering and editing an officer', () => {
  const draft = (over: Partial<OfficerDraft> = {}): OfficerDraft => ({ ...officerDraft(undefined, { agencyId: 'sq-city', key: 'k1' }), ...over });
  it('splits the categories as typed, without blanks or repeats', () => {
    expect(splitCategories('食品安全、 综合执法，食品安全;;广告监管 ')).toEqual(['食品安全', '综合执法', '广告监管']);
    expect(splitCategories('  ')).toEqual([]);
  });
  it('sends a new officer with the optional fields only when filled in, and the API accepts it', () => {
    const d = draft({ name: ' 测试员 ', certificateNo: '32130009001', categories: '食品安全、综合执法', region: '宿迁市', validUntil: '2029-12-31', phone: '', division: ' 法规处 ' });
    const body = createBody(d);
    expect(body).toEqual({ name: '测试员', agencyId: 'sq-city', certificateNo: '32130009001', categories: ['食品安全', '综合执法'], region: '宿迁市', validUntil: '2029-12-31', legalQualification: false, reviewer: false, division: '法规处' });
    expect(createOfficerBody.safeParse(body).success).toBe(true);
    const bad = createOfficerBody.safeParse(createBody({ ...d, certificateNo: 'abc' }));
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('certificateNo');
  });
  it('an edit sends only what changed, with the version; nothing changed sends nothing', () => {
    const o = officer({ division: '法规处', phone: '13800000001' });
    expect(editBody(officerDraft(o), o)).toBeUndefined();
    const body = editBody({ ...officerDraft(o), categories: '综合执法、广告监管', reviewer: true, phone: '13800000002' }, o);
    expect(body).toEqual({ version: 4, categories: ['综合执法', '广告监管'], reviewer: true, phone: '13800000002' });
    expect(updateOfficerBody.safeParse(body).success).toBe(true);
    // A required field emptied goes to the API, which refuses it beside the field; an optional one emptied is left as it was.
    expect(editBody({ ...officerDraft(o), name: ' ', division: '' }, o)).toEqual({ version: 4, name: '' });
  });
  it('after a 409, the fields the user left follow the record as it is now, what they typed stays', () => {
    const before = officer();
    const after = officer({ version: 5, region: '宿城区', categories: ['综合执法', '食品安全'] });
    const typed = { ...officerDraft(before), name: '周立新（改）' };
    const rebased = rebaseDraft(typed, before, after);
    expect(rebased).toMatchObject({ name: '周立新（改）', region: '宿城区', categories: '综合执法、食品安全' });
    expect(editBody(rebased, after)).toEqual({ version: 5, name: '周立新（改）' });
  });
});
