import { describe, expect, it } from 'vitest';
import { createAgencyBody, hierarchyProblem } from '../../shared/domain/agency.ts';
import {
  ANNUAL_TRAINING_HOURS_REQUIRED,
  createOfficerBody,
  effectiveCertificateStatus,
  trainingBody,
  trainingSummary,
} from '../../shared/domain/officer.ts';
import { inspectionContent, itemCode, POWER_TYPES, powerContent } from '../../shared/domain/catalog.ts';
import { calendarDate } from '../../shared/domain/dates.ts';
import { isValidCreditCode, isValidIdNumber } from '../../shared/domain/identifiers.ts';
import {
  DEMO_CATEGORIES,
  DEMO_SPECIAL_CERTIFICATES,
  demoAgencies,
  demoInspectionItems,
  demoOfficers,
  demoPowers,
  fictionalCreditCode,
  fictionalIdNumber,
} from '../../local/seed-data.ts';

/** A fixed day, so the expiry assertions do not drift with the calendar. */
const REFERENCE_DAY = '2026-11-26';

const dupes = (values: readonly string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);

describe('identifier helpers', () => {
  it('produce valid check characters', () => {
    expect(isValidIdNumber(fictionalIdNumber('321302', '19800101', '011'))).toBe(true);
    expect(isValidCreditCode(fictionalCreditCode('321300', '0000DEM01'))).toBe(true);
    expect(() => fictionalIdNumber('3213', '19800101', '011')).toThrow();
  });
});

describe('demo agencies', () => {
  const parsed = demoAgencies.map((a) => createAgencyBody.parse(a));

  it('parse with the schema', () => {
    expect(parsed).toHaveLength(3);
    for (const a of parsed) expect(a.creditCode && isValidCreditCode(a.creditCode)).toBe(true);
  });

  it('are the city bureau and two counties, parent first, with a valid hierarchy', () => {
    expect(parsed.map((a) => a.id)).toEqual(['sq-city', 'sq-shuyang', 'sq-siyang']);
    const seen = new Map<string, (typeof parsed)[number]>();
    for (const a of parsed) {
      const parent = a.parentId ? seen.get(a.parentId) : undefined;
      if (a.parentId) expect(parent, `${a.id} parent listed earlier`).toBeDefined();
      expect(hierarchyProblem(a.level, parent)).toBeUndefined();
      seen.set(a.id!, a);
    }
    expect(parsed[0]).toMatchObject({ level: 'CITY', name: '宿迁市市场监督管理局' });
    expect(dupes(parsed.map((a) => a.creditCode!))).toEqual([]);
  });
});

describe('demo officers', () => {
  const parsed = demoOfficers.map((o) => {
    const { training: _training, ...body } = o;
    return createOfficerBody.parse(body);
  });
  const agencyIds = new Set(demoAgencies.map((a) => a.id));

  it('parse with the schema and number 25–35', () => {
    expect(parsed.length).toBeGreaterThanOrEqual(25);
    expect(parsed.length).toBeLessThanOrEqual(35);
  });

  it('have unique certificate numbers and belong to existing agencies', () => {
    expect(dupes(parsed.map((o) => o.certificateNo))).toEqual([]);
    for (const o of parsed) expect(agencyIds.has(o.agencyId), o.name).toBe(true);
    for (const id of agencyIds) expect(parsed.some((o) => o.agencyId === id), id).toBe(true);
  });

  it('use the demo category set', () => {
    const known = new Set<string>(DEMO_CATEGORIES);
    for (const o of parsed) for (const c of o.categories) expect(known.has(c), `${o.name}: ${c}`).toBe(true);
  });

  it('have enough reviewers (≥4 and ≥5%), mostly legally qualified, in the legal division', () => {
    const reviewers = parsed.filter((o) => o.reviewer);
    expect(reviewers.length).toBeGreaterThanOrEqual(4);
    expect(reviewers.length / parsed.length).toBeGreaterThanOrEqual(0.05);
    expect(reviewers.filter((o) => o.legalQualification).length).toBeGreaterThanOrEqual(3);
    for (const r of reviewers) expect(['法规处', '法制科']).toContain(r.division);
    expect(parsed.some((o) => !o.reviewer && o.legalQualification)).toBe(true);
  });

  it('include personal data for some officers (with valid ID numbers)', () => {
    expect(parsed.filter((o) => o.phone).length).toBeGreaterThan(0);
    const ids = parsed.flatMap((o) => (o.idNumber ? [o.idNumber] : []));
    expect(ids.length).toBeGreaterThan(0);
    expect(dupes(ids)).toEqual([]);
  });

  it('have exactly one suspended, one revoked and one expired certificate', () => {
    const status = (o: (typeof parsed)[number]) => effectiveCertificateStatus(o, REFERENCE_DAY);
    const by = (s: string) => parsed.filter((o) => status(o) === s).map((o) => o.certificateNo);
    expect(by('SUSPENDED')).toEqual([DEMO_SPECIAL_CERTIFICATES.suspended]);
    expect(by('REVOKED')).toEqual([DEMO_SPECIAL_CERTIFICATES.revoked]);
    expect(by('EXPIRED')).toEqual([DEMO_SPECIAL_CERTIFICATES.expired]);
    expect(by('VALID')).toHaveLength(parsed.length - 3);
    // Still true today for the expired one; the others stay valid at least through 2027-06-29.
    expect(effectiveCertificateStatus(parsed.find((o) => o.certificateNo === DEMO_SPECIAL_CERTIFICATES.expired)!)).toBe('EXPIRED');
    for (const o of parsed) {
      if (o.certificateNo !== DEMO_SPECIAL_CERTIFICATES.expired) expect(o.validUntil >= '2027-06-30', o.name).toBe(true);
    }
  });

  it('have training records that fit the training schema, some meeting 40 hours a year and some not', () => {
    const records = demoOfficers.flatMap((o) => o.training ?? []);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(() => trainingBody.parse({ version: 1, ...r })).not.toThrow();
      expect(r.completedOn.slice(0, 4)).toBe(String(r.year));
      expect(r.completedOn <= REFERENCE_DAY).toBe(true);
    }
    const summaries = demoOfficers.flatMap((o) => trainingSummary(o.training ?? []));
    for (const year of [2025, 2026]) {
      const ofYear = summaries.filter((s) => s.year === year);
      expect(ofYear.some((s) => s.hours >= ANNUAL_TRAINING_HOURS_REQUIRED)).toBe(true);
      expect(ofYear.some((s) => s.hours < ANNUAL_TRAINING_HOURS_REQUIRED)).toBe(true);
    }
  });
});

describe('demo power list', () => {
  const agencyIds = new Set(demoAgencies.map((a) => a.id));

  it('parses with the schema, with valid codes and effective dates', () => {
    for (const p of demoPowers) {
      expect(() => powerContent.parse(p.content), p.code).not.toThrow();
      expect(itemCode.parse(p.code)).toBe(p.code);
      expect(calendarDate.parse(p.effectiveFrom)).toBe(p.effectiveFrom);
      expect(p.effectiveFrom >= '2024-01-01' && p.effectiveFrom <= '2025-12-31').toBe(true);
      expect(agencyIds.has(p.content.agencyId), p.code).toBe(true);
    }
  });

  it('has unique codes and unique names per agency', () => {
    expect(dupes(demoPowers.map((p) => p.code))).toEqual([]);
    expect(dupes(demoPowers.map((p) => `${p.content.agencyId}/${p.content.name}`))).toEqual([]);
  });

  it('covers all five types with at least three each, 35–45 in total', () => {
    expect(demoPowers.length).toBeGreaterThanOrEqual(35);
    expect(demoPowers.length).toBeLessThanOrEqual(45);
    for (const type of POWER_TYPES) {
      expect(demoPowers.filter((p) => p.content.type === type).length, type).toBeGreaterThanOrEqual(3);
    }
  });

  it('is mostly the city bureau, with some county items', () => {
    const city = demoPowers.filter((p) => p.content.agencyId === 'sq-city').length;
    expect(city / demoPowers.length).toBeGreaterThan(0.5);
    expect(demoPowers.some((p) => p.content.agencyId !== 'sq-city')).toBe(true);
  });
});

describe('demo random-inspection items', () => {
  const agencyIds = new Set(demoAgencies.map((a) => a.id));

  it('parse with the schema, with unique valid codes and effective dates', () => {
    expect(demoInspectionItems.length).toBeGreaterThanOrEqual(8);
    for (const i of demoInspectionItems) {
      expect(() => inspectionContent.parse(i.content), i.code).not.toThrow();
      expect(itemCode.parse(i.code)).toBe(i.code);
      expect(calendarDate.parse(i.effectiveFrom)).toBe(i.effectiveFrom);
      expect(agencyIds.has(i.content.agencyId), i.code).toBe(true);
    }
    expect(dupes(demoInspectionItems.map((i) => i.code))).toEqual([]);
  });

  it('do not share codes with the power list', () => {
    const powerCodes = new Set(demoPowers.map((p) => p.code));
    for (const i of demoInspectionItems) expect(powerCodes.has(i.code)).toBe(false);
  });
});
