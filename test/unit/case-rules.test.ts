/**
 * Rules of cases and acts (D5, N6, N11, R1): who the party is, which officer may act on a given day,
 * how far a case's decision deadline can be extended, what an act record must say, and which
 * Shanghai calendar day an instant falls on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  APPROVED_EXTENSION_DAYS,
  COMPREHENSIVE_CATEGORY,
  actBody,
  dateOfInstant,
  extensionProblem,
  officerProblem,
  party,
  type CaseExtension,
} from '../../shared/domain/case.ts';
import type { Officer } from '../../shared/domain/officer.ts';
import { creditCodeCheckChar, idNumberCheckChar } from '../../shared/domain/identifiers.ts';

const withCheck = (first17: string, check: (s: string) => string): string => first17 + check(first17);
const CREDIT_CODE = withCheck('91321302MA1MXKQ7Y', creditCodeCheckChar); // an enterprise
const BUSINESS_CODE = withCheck('92321302MA1MXKQ8L', creditCodeCheckChar); // an individual business
const ID_NUMBER = withCheck('32130219800101123', idNumberCheckChar);

/** The issues zod reports for `input`, as path → message. */
function issuesOf(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown) {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.') || '(root)', i.message]));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('party', () => {
  const org = { kind: 'ORG', name: '宿迁市某某食品有限公司', creditCode: CREDIT_CODE, legalRepresentative: '王五' };
  const business = { kind: 'INDIVIDUAL_BUSINESS', name: '宿城区张三水果店', creditCode: BUSINESS_CODE, legalRepresentative: '张三' };
  const person = { kind: 'PERSON', name: '张三丰', idNumber: ID_NUMBER, phone: '13912345678', address: '宿迁市宿城区幸福路1号' };

  it.each([
    ['an organisation with a valid credit code', org],
    ['an individual business with a valid credit code', business],
    ['a natural person with a valid ID number', person],
  ])('accepts %s', (_label, input) => {
    expect(party.safeParse(input).success).toBe(true);
  });

  it('normalises a lower-case credit code and ID number check character, and trims names', () => {
    const parsedOrg = party.parse({ ...org, name: '  宿迁市某某食品有限公司 ', creditCode: ` ${CREDIT_CODE.toLowerCase()} ` });
    expect(parsedOrg.creditCode).toBe(CREDIT_CODE);
    expect(parsedOrg.name).toBe('宿迁市某某食品有限公司');
    const parsedPerson = party.parse({ ...person, idNumber: ID_NUMBER.toLowerCase() });
    expect(parsedPerson.idNumber).toBe(ID_NUMBER);
  });

  it.each(['ORG', 'INDIVIDUAL_BUSINESS'])('requires a credit code from %s', (kind) => {
    const { creditCode: _c, ...withoutCode } = kind === 'ORG' ? org : business;
    expect(issuesOf(party, { ...withoutCode, kind })).toHaveProperty('creditCode', '单位和个体工商户须填写统一社会信用代码');
  });

  it('refuses a credit code whose check character is wrong', () => {
    const last = CREDIT_CODE.at(-1)!;
    const wrong = CREDIT_CODE.slice(0, 17) + (last === '0' ? '1' : '0');
    expect(issuesOf(party, { ...org, creditCode: wrong })).toHaveProperty('creditCode', '统一社会信用代码无效（GB 32100 校验位不符）');
  });

  it('requires an ID number from a natural person', () => {
    const { idNumber: _i, ...withoutId } = person;
    expect(issuesOf(party, withoutId)).toHaveProperty('idNumber', '自然人须填写 18 位身份证号码');
  });

  it('refuses an ID number with a wrong check character, a wrong birth date or the old 15-digit form', () => {
    const wrongCheck = ID_NUMBER.slice(0, 17) + (ID_NUMBER.endsWith('0') ? '1' : '0');
    const badBirth = withCheck('32130219800230123', idNumberCheckChar); // 30 February
    for (const idNumber of [wrongCheck, badBirth, '321302800101123']) {
      expect(issuesOf(party, { ...person, idNumber })).toHaveProperty('idNumber', '身份证号码无效（GB 11643 校验位不符）');
    }
  });

  it('refuses a natural person with a credit code', () => {
    expect(issuesOf(party, { ...person, creditCode: CREDIT_CODE })).toHaveProperty('creditCode', '自然人不应填写统一社会信用代码');
  });

  it.each(['13912345678', '0527-84361234', '052784361234', '010-12345678'])('accepts the phone number %j', (phone) => {
    expect(party.safeParse({ ...person, phone }).success).toBe(true);
  });

  it.each(['12912345678', '1391234567', '139123456789', '+8613912345678', '139-1234-5678', '84361234', 'abc'])(
    'refuses the phone number %j',
    (phone) => {
      expect(issuesOf(party, { ...person, phone })).toHaveProperty('phone', '电话号码格式无效');
    },
  );

  it('refuses unknown fields and unknown kinds', () => {
    expect(issuesOf(party, { ...person, email: 'a@example.com' })).toHaveProperty('(root)');
    expect(party.safeParse({ ...org, kind: 'GOVERNMENT' }).success).toBe(false);
  });
});

describe('officerProblem (D5: only certified officers act)', () => {
  const officer: Officer = {
    id: 'o-17',
    name: '李四',
    agencyId: 'sq-city',
    certificateNo: '苏32130001001',
    categories: ['食品安全', '广告监管'],
    region: '宿迁市宿城区',
    certificateStatus: 'VALID',
    validUntil: '2026-03-04',
    legalQualification: false,
    reviewer: false,
    training: [],
    certificateHistory: [],
    version: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
  };

  it('names an officer that does not exist', () => {
    expect(officerProblem(undefined, 'o-404', '2026-03-01', '食品安全')).toEqual({ officerId: 'o-404', message: '执法人员 o-404 不存在' });
  });

  it('lets a valid officer act in one of the certificate categories, or without a category', () => {
    expect(officerProblem(officer, 'o-17', '2026-03-01', '食品安全')).toBeUndefined();
    expect(officerProblem(officer, 'o-17', '2026-03-01', '广告监管')).toBeUndefined();
    expect(officerProblem(officer, 'o-17', '2026-03-01', undefined)).toBeUndefined();
  });

  it.each([
    ['SUSPENDED', '已暂扣'],
    ['REVOKED', '已吊销'],
  ] as const)('refuses a %s certificate, whatever the date', (certificateStatus, label) => {
    const problem = officerProblem({ ...officer, certificateStatus }, 'o-17', '2026-01-01', '食品安全');
    expect(problem).toEqual({ officerId: 'o-17', name: '李四', message: `李四 的执法证件在 2026-01-01 ${label}` });
  });

  it('judges expiry on the act date: valid through validUntil, expired the day after', () => {
    expect(officerProblem(officer, 'o-17', '2026-03-04', '食品安全')).toBeUndefined();
    expect(officerProblem(officer, 'o-17', '2026-03-05', '食品安全')).toEqual({
      officerId: 'o-17',
      name: '李四',
      message: '李四 的执法证件在 2026-03-05 已过期',
    });
  });

  it('does not judge expiry on today: an act recorded late stays valid, an act dated later is refused', () => {
    vi.useFakeTimers();
    // Recorded a year after the certificate expired, for an act done while it was valid.
    vi.setSystemTime(new Date('2027-03-01T02:00:00Z'));
    expect(officerProblem(officer, 'o-17', '2026-03-02', '食品安全')).toBeUndefined();
    // Recorded while the certificate is still valid, for an act dated after it expires.
    vi.setSystemTime(new Date('2026-01-10T02:00:00Z'));
    expect(officerProblem(officer, 'o-17', '2026-03-05', '食品安全')?.message).toContain('已过期');
  });

  it('refuses a category the certificate does not cover', () => {
    expect(officerProblem(officer, 'o-17', '2026-03-01', '价格监督检查')).toEqual({
      officerId: 'o-17',
      name: '李四',
      message: '李四 的执法证件不含执法类别「价格监督检查」',
    });
  });

  it('reports the certificate status before the category', () => {
    expect(officerProblem({ ...officer, certificateStatus: 'REVOKED' }, 'o-17', '2026-03-01', '价格监督检查')?.message).toContain('已吊销');
  });

  it(`lets a ${COMPREHENSIVE_CATEGORY} certificate cover every category`, () => {
    const comprehensive = { ...officer, categories: [COMPREHENSIVE_CATEGORY] };
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (category) => {
        expect(officerProblem(comprehensive, 'o-17', '2026-03-01', category)).toBeUndefined();
      }),
    );
    // …but not an expired one.
    expect(officerProblem(comprehensive, 'o-17', '2026-03-05', '价格监督检查')?.message).toContain('已过期');
  });
});

describe('extensionProblem (N11: +30 days with approval, more only by collective discussion)', () => {
  const ext = (days: number, collectiveDiscussion = false): CaseExtension => ({
    days,
    collectiveDiscussion,
    reason: '案情复杂',
    approvedBy: '赵局长',
    at: '2026-05-01T00:00:00.000Z',
    by: 'u-1',
  });

  it('allows approved extensions up to 30 days in total', () => {
    expect(APPROVED_EXTENSION_DAYS).toBe(30);
    expect(extensionProblem([], { days: 30, collectiveDiscussion: false })).toBeUndefined();
    expect(extensionProblem([ext(10), ext(5)], { days: 15, collectiveDiscussion: false })).toBeUndefined();
  });

  it('refuses an approved extension that takes the total beyond 30 days', () => {
    expect(extensionProblem([], { days: 31, collectiveDiscussion: false })).toContain('已延长 0 日');
    const problem = extensionProblem([ext(10), ext(5)], { days: 16, collectiveDiscussion: false });
    expect(problem).toContain('不得超过 30 日');
    expect(problem).toContain('已延长 15 日');
    expect(problem).toContain('集体讨论');
  });

  it('allows any longer extension by collective discussion, and does not count it against the 30 days', () => {
    expect(extensionProblem([ext(30)], { days: 60, collectiveDiscussion: true })).toBeUndefined();
    expect(extensionProblem([ext(60, true)], { days: 30, collectiveDiscussion: false })).toBeUndefined();
    expect(extensionProblem([ext(60, true), ext(20)], { days: 11, collectiveDiscussion: false })).toContain('已延长 20 日');
  });

  it('matches the rule for any history of extensions', () => {
    const history = fc.array(fc.record({ days: fc.integer({ min: 1, max: 60 }), collective: fc.boolean() }), { maxLength: 6 });
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 365 }), fc.boolean(), (past, days, collectiveDiscussion) => {
        const approved = past.filter((p) => !p.collective).reduce((s, p) => s + p.days, 0);
        const problem = extensionProblem(
          past.map((p) => ext(p.days, p.collective)),
          { days, collectiveDiscussion },
        );
        expect(problem === undefined).toBe(collectiveDiscussion || approved + days <= 30);
      }),
    );
  });
});

describe('actBody', () => {
  const inspection = {
    type: 'INSPECTION',
    at: '2026-03-05T09:30:00+08:00',
    place: '宿迁市宿城区幸福路1号',
    officerIds: ['o-1', 'o-2'],
  };
  const service = { ...inspection, type: 'SERVICE', serviceMethod: 'IN_PERSON', documentName: '行政处罚决定书' };

  it('accepts an inspection and a service with its method', () => {
    expect(actBody.parse(inspection)).toMatchObject({ type: 'INSPECTION', notes: '' });
    expect(actBody.safeParse(service).success).toBe(true);
  });

  it('requires a service method for a service', () => {
    const { serviceMethod: _m, ...withoutMethod } = service;
    expect(issuesOf(actBody, withoutMethod)).toHaveProperty('serviceMethod', '送达须注明送达方式');
  });

  it.each(['INSPECTION', 'QUESTIONING', 'SEIZURE', 'HEARING', 'EXECUTION', 'OTHER'])('refuses a service method on %s', (type) => {
    expect(issuesOf(actBody, { ...inspection, type, serviceMethod: 'BY_MAIL' })).toHaveProperty('serviceMethod', '只有送达才有送达方式');
  });

  it('refuses an unknown service method', () => {
    expect(actBody.safeParse({ ...service, serviceMethod: 'BY_PIGEON' }).success).toBe(false);
  });

  it.each(['2026-03-05T09:30:00+08:00', '2026-03-05T01:30:00Z', '2026-03-05T01:30:00.123Z'])('accepts the instant %j', (at) => {
    expect(actBody.safeParse({ ...inspection, at }).success).toBe(true);
  });

  it.each(['2026-03-05T09:30:00', '2026-03-05', '2026-03-05 09:30:00+08:00', '2026-02-30T09:30:00+08:00', '2026年3月5日 9:30', ''])(
    'refuses %j: not an ISO instant with an offset',
    (at) => {
      expect(issuesOf(actBody, { ...inspection, at })).toHaveProperty('at');
    },
  );

  it('says how to write the time when it is wrong', () => {
    expect(issuesOf(actBody, { ...inspection, at: '2026-03-05T09:30:00' }).at).toContain('2026-03-05T09:30:00+08:00');
  });

  it('requires at least one officer and a place, and refuses unknown fields', () => {
    expect(issuesOf(actBody, { ...inspection, officerIds: [] })).toHaveProperty('officerIds');
    expect(issuesOf(actBody, { ...inspection, place: ' ' })).toHaveProperty('place');
    expect(issuesOf(actBody, { ...inspection, recorder: 'cam-1' })).toHaveProperty('(root)');
  });
});

describe('dateOfInstant (Asia/Shanghai calendar)', () => {
  it.each([
    ['2026-03-04T17:00:00Z', '2026-03-05'],
    ['2026-03-04T15:59:59Z', '2026-03-04'],
    ['2026-03-04T16:00:00Z', '2026-03-05'],
    ['2026-03-05T00:30:00+08:00', '2026-03-05'],
    ['2026-03-04T23:30:00-05:00', '2026-03-05'],
    ['2025-12-31T16:00:00Z', '2026-01-01'],
  ])('%s is %s in Shanghai', (instant, date) => {
    expect(dateOfInstant(instant)).toBe(date);
  });

  it('is the UTC date of the instant shifted by eight hours (no daylight saving in China)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1992-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        const shifted = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        expect(dateOfInstant(d.toISOString())).toBe(shifted);
      }),
    );
  });
});
