import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, PENALTY_TYPE_CODES, config, configFrom } from '../../shared/domain/config.ts';
import { PENALTY_TYPES, PUBLICATION_WORKING_DAYS, SHORT_DISCLOSURE_FINE_LIMIT_FEN, SIMPLE_FINE_LIMIT_FEN, WITHDRAWAL_WORKING_DAYS } from '../../shared/domain/decision.ts';
import { DEFAULT_SEVERITY_ORDER, severityOrder } from '../../shared/domain/report-aggregates.ts';
import { retentionYears } from '../../shared/services/evidence.ts';
import { integrityConfig } from '../../shared/services/evidence-integrity.ts';

const messageOf = (env: Record<string, string>): string => {
  try {
    configFrom(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`configFrom(${JSON.stringify(env)}) did not throw`);
};

describe('configFrom: defaults', () => {
  it('gives the national figures when nothing is set', () => {
    expect(configFrom({})).toEqual({
      PUBLISH_DAYS_LICENSING: 7,
      PUBLISH_DAYS_PENALTY: 7,
      PUBLISH_DAYS_OTHER: 20,
      WITHDRAW_DAYS: 3,
      SHORT_DISCLOSURE_FINE_LIMIT_YUAN: 10_000,
      SIMPLE_FINE_LIMIT_PERSON_YUAN: 200,
      SIMPLE_FINE_LIMIT_ORG_YUAN: 3000,
      CASE_DECISION_LIMIT_DAYS: 90,
      CASE_APPROVED_EXTENSION_DAYS: 30,
      MIN_INVESTIGATION_OFFICERS: 2,
      NOTICE_STATEMENT_WORKING_DAYS: 5,
      HEARING_REQUEST_WORKING_DAYS: 5,
      HEARING_NOTICE_MIN_DAYS: 7,
      HEARING_FINE_PERSON_YUAN: 10_000,
      HEARING_FINE_ORG_YUAN: 100_000,
      SERVICE_DUE_DAYS: 7,
      PUBLIC_NOTICE_SERVICE_DAYS: 30,
      PAYMENT_DAYS: 15,
      LATE_SURCHARGE_PERCENT_PER_DAY: 3,
      RECONSIDERATION_DAYS: 60,
      LITIGATION_MONTHS: 6,
      ANNUAL_TRAINING_HOURS: 40,
      MIN_REVIEWER_RATIO: 0.05,
      PENALTY_SEVERITY_ORDER: undefined,
      BUREAU_NAME: '市场监督管理局',
      PORTAL_URL: 'http://localhost:3001',
      EVIDENCE_RETENTION_YEARS: 30,
      EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES: 256 * 1024 ** 2,
      EVIDENCE_VERIFY_INTERVAL_DAYS: 90,
      EVIDENCE_VERIFY_MAX_BYTES_PER_RUN: 40 * 1024 ** 3,
    });
  });

  it('agrees with the defaults the domain modules declare', () => {
    const c = configFrom({});
    // The national and operational defaults, as documented in README and infra/README.
    expect([c.EVIDENCE_RETENTION_YEARS, c.EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES, c.EVIDENCE_VERIFY_INTERVAL_DAYS, c.EVIDENCE_VERIFY_MAX_BYTES_PER_RUN]).toEqual([
      30,
      256 * 2 ** 20,
      90,
      40 * 2 ** 30,
    ]);
    // The copy of the penalty codes (config.ts cannot import decision.ts) is the same set.
    expect([...PENALTY_TYPE_CODES].sort()).toEqual([...PENALTY_TYPES].sort());
  });

  it('the modules derive their figures from it (this process sets none)', () => {
    expect(PUBLICATION_WORKING_DAYS).toEqual({ LICENSING: 7, PENALTY: 7, COERCION: 20, INSPECTION: 20, OTHER: 20 });
    expect(WITHDRAWAL_WORKING_DAYS).toBe(3);
    expect(SIMPLE_FINE_LIMIT_FEN).toEqual({ natural: 20_000, org: 300_000 });
    expect(SHORT_DISCLOSURE_FINE_LIMIT_FEN).toBe(1_000_000);
    expect(severityOrder()).toEqual(DEFAULT_SEVERITY_ORDER);
  });
});

describe('configFrom: valid overrides', () => {
  it('reads whole numbers at both ends of their ranges', () => {
    const c = configFrom({ PUBLISH_DAYS_PENALTY: '1', PUBLISH_DAYS_LICENSING: '60', CASE_APPROVED_EXTENSION_DAYS: '0', EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES: '0' });
    expect([c.PUBLISH_DAYS_PENALTY, c.PUBLISH_DAYS_LICENSING, c.CASE_APPROVED_EXTENSION_DAYS, c.EVIDENCE_VERIFY_ON_DOWNLOAD_MAX_BYTES]).toEqual([1, 60, 0, 0]);
  });

  it('reads a province’s fine limits, a ratio, a name and a severity order', () => {
    const reversed = [...DEFAULT_SEVERITY_ORDER].reverse();
    const c = configFrom({
      SHORT_DISCLOSURE_FINE_LIMIT_YUAN: '20000',
      SIMPLE_FINE_LIMIT_ORG_YUAN: '5000',
      MIN_REVIEWER_RATIO: '0.1',
      BUREAU_NAME: ' 宿迁市市场监督管理局 ',
      PENALTY_SEVERITY_ORDER: reversed.join(', '),
      EVIDENCE_RETENTION_YEARS: '7',
      PORTAL_URL: 'https://d111111abcdef8.cloudfront.net',
    });
    expect(c.PORTAL_URL).toBe('https://d111111abcdef8.cloudfront.net');
    expect(c.SHORT_DISCLOSURE_FINE_LIMIT_YUAN).toBe(20_000);
    expect(c.SIMPLE_FINE_LIMIT_ORG_YUAN).toBe(5000);
    expect(c.MIN_REVIEWER_RATIO).toBe(0.1);
    expect(c.BUREAU_NAME).toBe('宿迁市市场监督管理局');
    expect(c.PENALTY_SEVERITY_ORDER).toEqual(reversed);
    expect(c.EVIDENCE_RETENTION_YEARS).toBe(7);
  });

  it('ignores variables it does not know', () => {
    expect(configFrom({ PUBLISH_DAYS: 'abc', TABLE_CASES: 'x' })).toEqual(configFrom({}));
  });
});

describe('configFrom: bad values are named', () => {
  it.each([
    ['PUBLISH_DAYS_PENALTY', 'abc', 'PUBLISH_DAYS_PENALTY="abc" is not a whole number between 1 and 60'],
    ['PUBLISH_DAYS_PENALTY', 'NaN', 'PUBLISH_DAYS_PENALTY="NaN" is not a whole number between 1 and 60'],
    ['PUBLISH_DAYS_PENALTY', '', 'PUBLISH_DAYS_PENALTY="" is not a whole number between 1 and 60'],
    ['PUBLISH_DAYS_LICENSING', '0', 'PUBLISH_DAYS_LICENSING="0" is not a whole number between 1 and 60'],
    ['PUBLISH_DAYS_OTHER', '61', 'PUBLISH_DAYS_OTHER="61" is not a whole number between 1 and 60'],
    ['WITHDRAW_DAYS', '-3', 'WITHDRAW_DAYS="-3" is not a whole number between 1 and 60'],
    ['WITHDRAW_DAYS', '2.5', 'WITHDRAW_DAYS="2.5" is not a whole number between 1 and 60'],
    ['SIMPLE_FINE_LIMIT_PERSON_YUAN', '2e2', 'SIMPLE_FINE_LIMIT_PERSON_YUAN="2e2" is not a whole number between 1 and 1000000'],
    ['SIMPLE_FINE_LIMIT_ORG_YUAN', ' 3000', 'SIMPLE_FINE_LIMIT_ORG_YUAN=" 3000" is not a whole number between 1 and 1000000'],
    ['SHORT_DISCLOSURE_FINE_LIMIT_YUAN', '10,000', 'SHORT_DISCLOSURE_FINE_LIMIT_YUAN="10,000" is not a whole number between 1 and 1000000'],
    ['CASE_DECISION_LIMIT_DAYS', '0x5a', 'CASE_DECISION_LIMIT_DAYS="0x5a" is not a whole number between 1 and 365'],
    ['CASE_APPROVED_EXTENSION_DAYS', '-1', 'CASE_APPROVED_EXTENSION_DAYS="-1" is not a whole number between 0 and 365'],
    ['MIN_INVESTIGATION_OFFICERS', '1', 'MIN_INVESTIGATION_OFFICERS="1" is not a whole number between 2 and 10'],
    ['ANNUAL_TRAINING_HOURS', '40.5', 'ANNUAL_TRAINING_HOURS="40.5" is not a whole number between 1 and 1000'],
    ['MIN_REVIEWER_RATIO', '5%', 'MIN_REVIEWER_RATIO="5%" is not a number between 0 and 1'],
    ['MIN_REVIEWER_RATIO', '1.5', 'MIN_REVIEWER_RATIO="1.5" is not a number between 0 and 1'],
    ['MIN_REVIEWER_RATIO', '-0.05', 'MIN_REVIEWER_RATIO="-0.05" is not a number between 0 and 1'],
    ['MIN_REVIEWER_RATIO', '', 'MIN_REVIEWER_RATIO="" is not a number between 0 and 1'],
    ['BUREAU_NAME', ' ', 'BUREAU_NAME=" " is not a name of 1 to 100 characters'],
    ['PORTAL_URL', 'https://portal.example.cn/', 'PORTAL_URL="https://portal.example.cn/" is not an http(s) URL without a trailing slash, query or fragment'],
    ['PORTAL_URL', 'ftp://portal.example.cn', 'PORTAL_URL="ftp://portal.example.cn" is not an http(s) URL without a trailing slash, query or fragment'],
    ['PORTAL_URL', 'https://portal.example.cn?x=1', 'PORTAL_URL="https://portal.example.cn?x=1" is not an http(s) URL without a trailing slash, query or fragment'],
    ['PORTAL_URL', 'portal.example.cn', 'PORTAL_URL="portal.example.cn" is not an http(s) URL without a trailing slash, query or fragment'],
    ['EVIDENCE_RETENTION_YEARS', '101', 'EVIDENCE_RETENTION_YEARS="101" is not a whole number between 1 and 100'],
    ['EVIDENCE_VERIFY_INTERVAL_DAYS', '92', 'EVIDENCE_VERIFY_INTERVAL_DAYS="92" is not a whole number between 1 and 91'],
    ['EVIDENCE_VERIFY_MAX_BYTES_PER_RUN', '1024', `EVIDENCE_VERIFY_MAX_BYTES_PER_RUN="1024" is not a whole number between ${1024 ** 2} and ${5 * 1024 ** 4}`],
  ])('%s=%j', (name, value, expected) => {
    expect(messageOf({ [name]: value })).toBe(`Invalid configuration: ${expected}`);
  });

  it('a severity order that misses, repeats or invents a type', () => {
    const all = DEFAULT_SEVERITY_ORDER.join(',');
    for (const raw of ['FINE,WARNING', `${all},FINE`, all.replace('FINE', 'FINES'), '']) {
      expect(messageOf({ PENALTY_SEVERITY_ORDER: raw }).startsWith(`Invalid configuration: PENALTY_SEVERITY_ORDER=${JSON.stringify(raw)} does not list each of`)).toBe(true);
    }
  });

  it('names every bad variable at once, and no good one', () => {
    const message = messageOf({ PUBLISH_DAYS_PENALTY: 'abc', WITHDRAW_DAYS: '', MIN_REVIEWER_RATIO: 'x', ANNUAL_TRAINING_HOURS: '40' });
    expect(message).toContain('PUBLISH_DAYS_PENALTY="abc"');
    expect(message).toContain('WITHDRAW_DAYS=""');
    expect(message).toContain('MIN_REVIEWER_RATIO="x"');
    expect(message).not.toContain('ANNUAL_TRAINING_HOURS');
    expect(message.split('; ')).toHaveLength(3);
  });

  it('refuses an empty value of every variable (it is never read as 0 or as the default)', () => {
    expect(CONFIG_VARIABLES).toHaveLength(30);
    for (const name of CONFIG_VARIABLES) expect(messageOf({ [name]: '' })).toMatch(new RegExp(`^Invalid configuration: ${name}="" (is not|does not list)`));
    expect(messageOf(Object.fromEntries(CONFIG_VARIABLES.map((n) => [n, ''])))
      .split('; ')
      .map((m) => m.replace('Invalid configuration: ', '').replace(/=.*/, ''))).toEqual([...CONFIG_VARIABLES]);
  });
});

describe('config(): the process environment, parsed once', () => {
  const saved = Object.fromEntries(CONFIG_VARIABLES.map((n) => [n, process.env[n]]));
  afterEach(() => {
    for (const [n, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  });

  it('returns the same object while the environment is unchanged', () => {
    expect(config()).toBe(config());
  });

  it('follows a changed variable, and throws naming a bad one at first use', () => {
    process.env.EVIDENCE_RETENTION_YEARS = '17';
    expect(retentionYears()).toBe(17);
    process.env.EVIDENCE_VERIFY_INTERVAL_DAYS = '30';
    expect(integrityConfig().intervalDays).toBe(30);
    process.env.PUBLISH_DAYS_PENALTY = 'abc';
    expect(() => config()).toThrow('PUBLISH_DAYS_PENALTY="abc" is not a whole number between 1 and 60');
    expect(() => retentionYears()).toThrow(/PUBLISH_DAYS_PENALTY/);
  });
});
