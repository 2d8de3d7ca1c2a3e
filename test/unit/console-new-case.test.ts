/**
 * 立案's logic without a browser (issue 16, point 2): the party's live checks, which officers are
 * offered and why the others are not, the power search, the body sent, and where each API error goes.
 */
import { describe, expect, it } from 'vitest';
import {
  COMPREHENSIVE_CATEGORY,
  creditCodeProblem,
  draftProblems,
  emptyDraft,
  idNumberProblem,
  isInvestigation,
  newCaseErrors,
  newCaseFieldOf,
  searchPowers,
  splitOfficers,
  toBody,
  type NewCaseDraft,
  type PowerItem,
} from '../../console/src/lib/new-case.ts';
import { COMPREHENSIVE_CATEGORY as API_COMPREHENSIVE, createCaseBody, INVESTIGATION_TYPES } from '../../shared/domain/case.ts';
import { POWER_TYPES } from '../../shared/domain/power-types.ts';

const CODE = '91350100M000100Y43';
const ID = '11010519491231002X';

const filled = (patch: Partial<NewCaseDraft> = {}): NewCaseDraft => ({
  ...emptyDraft('2026-12-02', 'officer-1', 'key-0000-1111'),
  name: '宿迁市示例食品有限公司',
  creditCode: CODE,
  powerCode: 'CF-SP-001',
  handlingOfficerIds: ['officer-1', 'officer-2'],
  summary: '涉嫌经营超过保质期的食品',
  ...patch,
});

describe('the party is checked as the officer types', () => {
  it('accepts a credit code whose GB 32100 check character matches, lower case and spaces included', () => {
    expect(creditCodeProblem(CODE)).toBeUndefined();
    expect(creditCodeProblem(` ${CODE.toLowerCase()} `)).toBeUndefined();
    expect(creditCodeProblem('')).toBeUndefined();
  });

  it('says what is wrong with a credit code: its length, a letter the code does not use, or the check character', () => {
    expect(creditCodeProblem('91350100M000100Y4')).toBe('统一社会信用代码应为 18 位，现为 17 位');
    expect(creditCodeProblem('91350100M00O100Y43')).toContain('不允许的字符');
    expect(creditCodeProblem('91350100M000100Y44')).toBe('统一社会信用代码无效（GB 32100 校验位不符），请逐位核对');
    // Digits swapped: the check character catches it.
    expect(creditCodeProblem('91351000M000100Y43')).toContain('校验位不符');
  });

  it('says what is wrong with an ID number: length, characters, birth date, or the GB 11643 check digit', () => {
    expect(idNumberProblem(ID)).toBeUndefined();
    expect(idNumberProblem(ID.toLowerCase())).toBeUndefined();
    expect(idNumberProblem('1101051949123100')).toBe('身份证号码应为 18 位，现为 16 位');
    expect(idNumberProblem('11010519491231002Y')).toBe('身份证号码前 17 位应为数字，末位为数字或 X');
    expect(idNumberProblem('110105194913310021')).toBe('身份证号码中的出生日期（第 7–14 位）不是有效日期');
    expect(idNumberProblem('110105194912310021')).toBe('身份证号码无效（GB 11643 校验位不符），请逐位核对');
  });

  it('asks a unit for its credit code and a person for an ID number, and checks the optional fields only when filled', () => {
    expect(draftProblems(filled())).toEqual({});
    expect(draftProblems(filled({ creditCode: '' })).creditCode).toBe('单位和个体工商户须填写统一社会信用代码');
    const person = filled({ partyKind: 'PERSON', name: '张三', creditCode: 'not looked at' });
    expect(draftProblems(person)).toEqual({ idNumber: '自然人须填写 18 位身份证号码' });
    expect(draftProblems({ ...person, idNumber: ID })).toEqual({});
    expect(draftProblems(filled({ phone: '12345' })).phone).toContain('电话号码格式无效');
    expect(draftProblems(filled({ phone: '13812345678', address: '宿城区幸福路 1 号' }))).toEqual({});
  });

  it("refuses text the API's own schema refuses (too short, control characters)", () => {
    expect(draftProblems(filled({ name: '甲' })).name).toBeDefined();
    expect(draftProblems(filled({ legalRepresentative: '王\u202e五' })).legalRepresentative).toContain('改变文字方向');
    expect(draftProblems(filled({ summary: '' })).summary).toBe('请填写案由');
  });

  it('needs a power, an officer and a real filing date', () => {
    const p = draftProblems(filled({ powerCode: '', handlingOfficerIds: [], filingDate: '2026-02-30' }));
    expect(p.powerCode).toBe('请选择职权事项');
    expect(p.handlingOfficerIds).toBe('请选择承办人员');
    expect(p.filingDate).toContain('日期无效');
  });
});

describe('the body sent', () => {
  it("is one the API's schema accepts, with only the party's fields of its kind", () => {
    const org = toBody(filled({ idNumber: ID, creditCode: CODE.toLowerCase(), legalRepresentative: '李四' }), 'suqian-city', ['a1', 'a2']);
    expect(org.party).toEqual({ kind: 'ORG', name: '宿迁市示例食品有限公司', creditCode: CODE, legalRepresentative: '李四' });
    expect(createCaseBody.safeParse(org).success).toBe(true);
    const person = toBody(filled({ partyKind: 'PERSON', name: '张三', idNumber: ` ${ID.toLowerCase()}`, phone: '13812345678' }), 'suqian-city', ['a1', 'a2']);
    expect(person.party).toEqual({ kind: 'PERSON', name: '张三', idNumber: ID, phone: '13812345678' });
    expect(createCaseBody.safeParse(person).success).toBe(true);
  });

  it("refuses the lengths the API's schema refuses, and accepts those it accepts", () => {
    for (const [field, max] of [['name', 100], ['legalRepresentative', 30], ['address', 200], ['summary', 500]] as const) {
      for (const length of [1, 2, max, max + 1]) {
        const d = filled({ [field]: '甲'.repeat(length) });
        const api = createCaseBody.safeParse(toBody(d, 'suqian-city', ['a1', 'a2'])).success;
        expect(draftProblems(d)[field] === undefined, `${field} of ${length}`).toBe(api);
      }
    }
  });

  it('a draft with a bad credit code is refused by the form and by the API alike', () => {
    const bad = filled({ creditCode: '91350100M000100Y44' });
    expect(draftProblems(bad).creditCode).toBeDefined();
    expect(createCaseBody.safeParse(toBody(bad, 'suqian-city', ['a1', 'a2'])).success).toBe(false);
  });
});

describe('handling officers', () => {
  const officers = [
    { id: 'a', name: '甲', certificateStatus: 'VALID', validUntil: '2028-12-31', categories: ['食品安全'] },
    { id: 'b', name: '乙', certificateStatus: 'VALID', validUntil: '2028-12-31', categories: ['综合执法'] },
    { id: 'c', name: '丙', certificateStatus: 'VALID', validUntil: '2028-12-31', categories: ['特种设备'] },
    { id: 'd', name: '丁', certificateStatus: 'SUSPENDED', validUntil: '2028-12-31', categories: ['食品安全'] },
    { id: 'e', name: '戊', certificateStatus: 'VALID', validUntil: '2026-06-30', categories: ['食品安全'] },
  ];

  it("offers those whose certificate is valid on the filing date and covers the power's category (or is 综合执法), and says why not the others", () => {
    const { eligible, others } = splitOfficers(officers, '2026-12-02', '食品安全');
    expect(eligible.map((o) => o.id)).toEqual(['a', 'b']);
    expect(others.map((o) => [o.officer.id, o.reason])).toEqual([
      ['c', '执法证件不含执法类别「食品安全」'],
      ['d', '执法证件已暂扣'],
      ['e', '执法证件已于 2026-06-30 到期'],
    ]);
  });

  it('judges validity on the filing date, not today: a case filed before the certificate ran out may name its holder', () => {
    expect(splitOfficers(officers, '2026-06-30', '食品安全').eligible.map((o) => o.id)).toEqual(['a', 'b', 'e']);
  });

  it('before a power is chosen, filters on the certificate only', () => {
    expect(splitOfficers(officers, '2026-12-02', undefined).eligible.map((o) => o.id)).toEqual(['a', 'b', 'c']);
  });

  it('knows the investigation types (N6) and the all-covering category as the API does', () => {
    expect(POWER_TYPES.filter(isInvestigation)).toEqual([...INVESTIGATION_TYPES]);
    expect(COMPREHENSIVE_CATEGORY).toBe(API_COMPREHENSIVE);
  });
});

describe('the power list', () => {
  const item = (code: string, name: string, type: string, category?: string): PowerItem => ({
    code,
    versionNo: 1,
    effectiveFrom: '2024-01-01',
    content: { name, type, agencyId: 'suqian-city', ...(category ? { category } : {}) },
  });
  const items = [item('XK-SP-001', '食品经营许可', 'LICENSING', '食品安全'), item('CF-SP-002', '对经营超过保质期食品的处罚', 'PENALTY', '食品安全'), item('CF-TZ-001', '对特种设备未经检验的处罚', 'PENALTY', '特种设备')];

  it('is searched by code or name within the chosen type, in code order', () => {
    expect(searchPowers(items, '', 'PENALTY').map((p) => p.code)).toEqual(['CF-SP-002', 'CF-TZ-001']);
    expect(searchPowers(items, 'cf-tz', 'PENALTY').map((p) => p.code)).toEqual(['CF-TZ-001']);
    expect(searchPowers(items, '保质期', 'PENALTY').map((p) => p.code)).toEqual(['CF-SP-002']);
    expect(searchPowers(items, '食品', 'LICENSING').map((p) => p.code)).toEqual(['XK-SP-001']);
  });
});

describe("the API's errors beside their fields", () => {
  it('maps the paths of validation and of the business rules onto the form', () => {
    expect(newCaseFieldOf('body.party.creditCode')).toBe('creditCode');
    expect(newCaseFieldOf('body.party.kind')).toBe('partyKind');
    expect(newCaseFieldOf('body.party')).toBe('name');
    expect(newCaseFieldOf('body.filingDate')).toBe('filingDate');
    expect(newCaseFieldOf('body.handlingOfficerIds.1')).toBe('handlingOfficerIds');
    expect(newCaseFieldOf('officerIds')).toBe('handlingOfficerIds');
    expect(newCaseFieldOf('officer 6f1c2b9e')).toBe('handlingOfficerIds');
    expect(newCaseFieldOf('header.idempotency-key')).toBeUndefined();
    expect(newCaseFieldOf(undefined)).toBeUndefined();
  });

  it('puts a rule without a path beside the field its code concerns, and keeps the rest general', () => {
    const mismatch = newCaseErrors({ status: 422, code: 'POWER_TYPE_MISMATCH', message: '职权事项 X 的类型为 LICENSING，与执法类型 PENALTY 不符', details: [] });
    expect(mismatch.byField.powerCode).toEqual(['职权事项 X 的类型为 LICENSING，与执法类型 PENALTY 不符']);
    const officers = newCaseErrors({ status: 422, code: 'INSUFFICIENT_OFFICERS', message: '调查取证须有 2 名以上执法人员（N6），现有 1 名', details: [{ path: 'officerIds', message: '至少 2 名' }] });
    expect(officers.byField.handlingOfficerIds).toEqual(['至少 2 名']);
    const other = newCaseErrors({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', message: '此 Idempotency-Key 已用于另一个不同的请求', details: [{ path: 'header.idempotency-key', message: '格式无效' }] });
    expect(other.byField).toEqual({});
    expect(other.general).toEqual(['格式无效']);
  });
});
