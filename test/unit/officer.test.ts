/**
 * Officers and their certificates (D4, D5, S1, S2): the status the public check shows, the yearly
 * training summary, what internal users may see (D9), and how create requests are validated.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  ANNUAL_TRAINING_HOURS_REQUIRED,
  certificateStatusBody,
  createOfficerBody,
  effectiveCertificateStatus,
  officerInternalView,
  officerView,
  trainingBody,
  trainingSummary,
  updateOfficerBody,
  type Officer,
  type TrainingRecord,
} from '../../shared/domain/officer.ts';
import { idNumberCheckChar } from '../../shared/domain/identifiers.ts';

const HAN = /[\u4e00-\u9fa5]/;

const officer: Officer = {
  id: 'o-17',
  name: '张三',
  agencyId: 'sq-city',
  certificateNo: '苏32130001001',
  categories: ['市场监管综合执法'],
  region: '宿迁市宿城区',
  certificateStatus: 'VALID',
  validUntil: '2026-11-25',
  legalQualification: false,
  reviewer: false,
  idNumber: '11010519491231002X',
  phone: '13912345678',
  training: [
    { year: 2025, hours: 24, course: '行政处罚法', completedOn: '2025-05-01' },
    { year: 2025, hours: 16, course: '证据规则', completedOn: '2025-09-01' },
    { year: 2026, hours: 12.5, course: '执法记录仪使用', completedOn: '2026-03-01' },
  ],
  certificateHistory: [],
  version: 3,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const validCreate = {
  name: '张三',
  agencyId: 'sq-city',
  certificateNo: '苏 3213 0001 001',
  categories: ['市场监管综合执法'],
  region: '宿迁市宿城区',
  validUntil: '2028-12-31',
};

/** The issues zod reports for `input`, as path → message. */
function issues(input: unknown): Record<string, string> {
  const result = createOfficerBody.safeParse(input);
  expect(result.success).toBe(false);
  return Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.') || '(root)', i.message]));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('effectiveCertificateStatus', () => {
  it('is VALID up to and including validUntil, EXPIRED from the next day', () => {
    expect(effectiveCertificateStatus(officer, '2026-11-24')).toBe('VALID');
    expect(effectiveCertificateStatus(officer, '2026-11-25')).toBe('VALID');
    expect(effectiveCertificateStatus(officer, '2026-11-26')).toBe('EXPIRED');
  });

  it('expires at midnight Shanghai time, not UTC', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-25T15:59:59Z')); // 23:59:59 in Shanghai
    const lastSecond = effectiveCertificateStatus(officer);
    vi.setSystemTime(new Date('2026-11-25T16:30:00Z')); // 00:30 on 26 November in Shanghai, still the 25th in UTC

    const afterMidnight = effectiveCertificateStatus(officer);

    expect(lastSecond).toBe('VALID');
    expect(afterMidnight).toBe('EXPIRED');
  });

  it.each(['SUSPENDED', 'REVOKED'] as const)('%s wins over the dates, before and after validUntil', (status) => {
    const o = { ...officer, certificateStatus: status };

    expect(effectiveCertificateStatus(o, '2026-01-01')).toBe(status);
    expect(effectiveCertificateStatus(o, '2030-01-01')).toBe(status);
  });
});

describe('trainingSummary (S1: 40 hours a year)', () => {
  it('sums hours per year, newest year first, flagging years that meet the minimum', () => {
    const summary = trainingSummary(officer.training);

    expect(ANNUAL_TRAINING_HOURS_REQUIRED).toBe(40);
    expect(summary).toEqual([
      { year: 2026, hours: 12.5, meetsRequirement: false },
      { year: 2025, hours: 40, meetsRequirement: true },
    ]);
  });

  it('is exactly 40 hours → met, 39.5 → not met', () => {
    const rec = (hours: number): TrainingRecord => ({ year: 2026, hours, course: '课程', completedOn: '2026-01-01' });

    expect(trainingSummary([rec(20), rec(20)])[0]!.meetsRequirement).toBe(true);
    expect(trainingSummary([rec(20), rec(19.5)])[0]!.meetsRequirement).toBe(false);
  });

  it('is empty without training', () => {
    expect(trainingSummary([])).toEqual([]);
  });

  it('keeps every hour and flags each year correctly (property)', () => {
    const record = fc.record({
      year: fc.integer({ min: 2020, max: 2026 }),
      hours: fc.integer({ min: 1, max: 80 }).map((h) => h / 2),
      course: fc.constant('课程'),
      completedOn: fc.constant('2026-01-01'),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (training) => {
        const summary = trainingSummary(training);

        expect(summary.map((s) => s.year)).toEqual([...new Set(training.map((t) => t.year))].sort((a, b) => b - a));
        for (const s of summary) {
          const hours = training.filter((t) => t.year === s.year).reduce((sum, t) => sum + t.hours, 0);
          expect(s.hours).toBe(hours);
          expect(s.meetsRequirement).toBe(hours >= 40);
        }
      }),
    );
  });
});

describe('officer views', () => {
  it('the admin view adds the effective status and training per year', () => {
    const view = officerView(officer, '2026-12-01');

    expect(view.effectiveCertificateStatus).toBe('EXPIRED');
    expect(view.trainingHoursByYear[0]).toEqual({ year: 2026, hours: 12.5, meetsRequirement: false });
    expect(view.idNumber).toBe(officer.idNumber);
  });

  it('the internal view has no ID number or phone, anywhere in its JSON', () => {
    const view = officerInternalView(officer, '2026-01-01');
    const json = JSON.stringify(view);

    expect(view).not.toHaveProperty('idNumber');
    expect(view).not.toHaveProperty('phone');
    expect(json).not.toContain(officer.idNumber!);
    expect(json).not.toContain(officer.phone!);
    expect(view).toMatchObject({ name: '张三', certificateNo: '苏32130001001', effectiveCertificateStatus: 'VALID' });
  });
});

describe('createOfficerBody', () => {
  it('accepts a valid officer, normalising the certificate number and filling defaults', () => {
    const parsed = createOfficerBody.parse({ ...validCreate, idNumber: '11010519491231002x', phone: '13912345678' });

    expect(parsed).toEqual({
      ...validCreate,
      certificateNo: '苏32130001001',
      idNumber: '11010519491231002X',
      phone: '13912345678',
      legalQualification: false,
      reviewer: false,
      certificateStatus: 'VALID',
    });
  });

  it('rejects unknown fields with a Chinese message naming the field', () => {
    const result = issues({ ...validCreate, salary: 10000 });

    expect(Object.values(result).join()).toContain('salary');
    expect(Object.values(result).join()).toMatch(HAN);
  });

  it('rejects an ID number with a wrong check character or an impossible birth date', () => {
    const badBirth = '32010219990230001';

    const wrongCheck = issues({ ...validCreate, idNumber: '110105194912310021' });
    const impossible = issues({ ...validCreate, idNumber: badBirth + idNumberCheckChar(badBirth) });

    expect(wrongCheck).toEqual({ idNumber: '身份证号码无效（格式或校验位不符）' });
    expect(impossible).toEqual({ idNumber: '身份证号码无效（格式或校验位不符）' });
  });

  it.each([
    ['too short', '12345'],
    ['punctuation', '3213-0001-001'],
    ['two province characters', '江苏32130001'],
    ['empty', ''],
  ])('rejects a malformed certificate number (%s)', (_label, certificateNo) => {
    expect(issues({ ...validCreate, certificateNo })).toEqual({
      certificateNo: '执法证件编号格式无效：可含一个省份简称，后接 6–20 位数字或大写字母',
    });
  });

  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '31/12/2028'])('rejects the non-existent date %s', (validUntil) => {
    expect(issues({ ...validCreate, validUntil })).toEqual({ validUntil: '日期无效，应为真实存在的日期，格式 YYYY-MM-DD' });
  });

  it('rejects a bad phone, an unknown status and missing fields, every message in Chinese', () => {
    const { name: _name, ...withoutName } = validCreate;

    const result = issues({ ...withoutName, phone: '12345', certificateStatus: 'EXPIRED', categories: [] });

    expect(Object.keys(result).sort()).toEqual(['categories', 'certificateStatus', 'name', 'phone']);
    expect(result.phone).toBe('电话号码格式无效');
    for (const message of Object.values(result)) expect(message).toMatch(HAN);
  });

  it('rejects wrong types with Chinese messages, whatever the value (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer())), (value) => {
        const result = issues({ ...validCreate, region: value });

        expect(Object.keys(result)).toEqual(['region']);
        expect(result.region).toMatch(HAN);
      }),
    );
  });
});

describe('other officer request bodies', () => {
  it('updateOfficerBody needs a positive version and refuses unknown fields', () => {
    expect(updateOfficerBody.safeParse({ version: 1, region: '泗洪县' }).success).toBe(true);
    expect(updateOfficerBody.safeParse({ region: '泗洪县' }).success).toBe(false);
    expect(updateOfficerBody.safeParse({ version: 0 }).success).toBe(false);
    expect(updateOfficerBody.safeParse({ version: 1, certificateStatus: 'REVOKED' }).success).toBe(false);
  });

  it('certificateStatusBody needs a reason of at least 2 characters', () => {
    expect(certificateStatusBody.safeParse({ version: 2, status: 'SUSPENDED', reason: '违纪' }).success).toBe(true);
    expect(certificateStatusBody.safeParse({ version: 2, status: 'SUSPENDED', reason: ' 否 ' }).success).toBe(false);
    expect(certificateStatusBody.safeParse({ version: 2, status: 'EXPIRED', reason: '到期' }).success).toBe(false);
  });

  it('trainingBody takes half hours only, up to 400', () => {
    const base = { version: 1, year: 2026, course: '行政处罚法', completedOn: '2026-05-01' };

    expect(trainingBody.safeParse({ ...base, hours: 7.5 }).success).toBe(true);
    expect(trainingBody.safeParse({ ...base, hours: 7.25 }).success).toBe(false);
    expect(trainingBody.safeParse({ ...base, hours: 0 }).success).toBe(false);
    expect(trainingBody.safeParse({ ...base, hours: 400.5 }).success).toBe(false);
  });
});
