/**
 * The holiday calendar as data (D7, N4; issue 11): the one validation of an arrangement (field by
 * field, for the override file and PUT /calendar/{year} alike), the request schema, the package's
 * festivals and where an entered year differs from the package.
 *
 * Every 2027 arrangement here is invented test data, not the State Council's notice.
 */
import { describe, expect, it } from 'vitest';
import { calendarPutBody, calendarYearParams, differencesFromPackage, festivalsFromDays, packageFestivals } from '../../shared/domain/calendar.ts';
import type { FestivalArrangement } from '../../shared/domain/holiday-overrides.ts';
import { arrangementProblems, arrangementWindow, noticeYearOf, packageDaysOf, type CalendarArrangement } from '../../shared/domain/working-days.ts';

/** Invented 2027 arrangement (test data): 元旦 on Friday 1 January, 春节 with two weekend working days. */
const TEST_2027: readonly FestivalArrangement[] = [
  { name: '元旦', off: ['2027-01-01', '2027-01-01'], work: [] },
  { name: '春节', off: ['2027-02-06', '2027-02-13'], work: ['2027-01-31', '2027-02-20'] },
  { name: '国庆节', off: ['2027-10-01', '2027-10-07'], work: ['2027-09-26', '2027-10-09'] },
];
const entered = (festivals: readonly FestivalArrangement[], year = 2027): CalendarArrangement => ({
  year,
  notice: { title: '测试通知（非官方）', documentNo: '测试〔2026〕1号' },
  festivals,
  source: 'entered',
});
const paths = (festivals: readonly FestivalArrangement[], year = 2027) => arrangementProblems(entered(festivals, year)).map((p) => p.path);

describe('arrangementProblems: each bad field named by its path', () => {
  it('a valid arrangement has no problems', () => {
    expect(arrangementProblems(entered(TEST_2027))).toEqual([]);
  });

  it.each<[string, FestivalArrangement[], string[]]>([
    ['an off range that runs backwards', [TEST_2027[0]!, { name: '春节', off: ['2027-02-13', '2027-02-06'], work: [] }], ['festivals.1.off']],
    ['an off range longer than a month', [{ name: '春节', off: ['2027-01-01', '2027-02-15'], work: [] }], ['festivals.0.off']],
    ['an adjusted working day on a weekday (Monday 15 February)', [TEST_2027[0]!, { name: '春节', off: ['2027-02-06', '2027-02-13'], work: ['2027-01-31', '2027-02-15'] }], ['festivals.1.work.1']],
    ['a first day off outside the window (before 25 December)', [{ name: '元旦', off: ['2026-12-24', '2027-01-01'], work: [] }], ['festivals.0.off.0']],
    ['a last day off in the next year', [{ name: '国庆节', off: ['2027-10-01', '2028-01-02'], work: [] }], ['festivals.0.off.1']],
    ['an adjusted working day outside the window', [{ name: '元旦', off: ['2027-01-01', '2027-01-01'], work: ['2026-12-19'] }], ['festivals.0.work.0']],
    ['an impossible date', [{ name: '劳动节', off: ['2027-04-31', '2027-05-05'], work: [] }], ['festivals.0.off.0']],
    ['the same festival twice', [TEST_2027[0]!, { name: '元旦', off: ['2027-05-01', '2027-05-01'], work: [] }], ['festivals.1.name']],
    ['overlapping days off', [TEST_2027[1]!, { name: '元宵', off: ['2027-02-13', '2027-02-14'], work: [] }], ['festivals.1.off']],
    ['a day both off and worked', [{ name: '劳动节', off: ['2027-05-01', '2027-05-05'], work: ['2027-05-01'] }], ['festivals.0.work.0']],
    ['a blank name', [{ name: '  ', off: ['2027-05-01', '2027-05-05'], work: [] }], ['festivals.0.name']],
    ['no festival at all', [], ['festivals']],
  ])('%s', (_label, festivals, expected) => {
    expect(paths(festivals)).toEqual(expected);
  });

  it('names every problem at once, in field order, with a zh-CN message', () => {
    const problems = arrangementProblems(
      entered([
        { name: '元旦', off: ['2027-01-03', '2027-01-01'], work: ['2027-01-04'] },
        { name: '元旦', off: ['2027-05-01', '2027-05-01'], work: [] },
      ]),
    );
    expect(problems).toEqual([
      { path: 'festivals.0.off', message: '元旦放假日期范围倒置：结束日 2027-01-01 早于起始日 2027-01-03' },
      { path: 'festivals.0.work.0', message: '元旦调休上班日 2027-01-04 是周一，调休上班日应为周六或周日' },
      { path: 'festivals.1.name', message: '节日“元旦”重复出现（与第 1 项同名）' },
    ]);
  });

  it('accepts 25–31 December before the year (a New Year arrangement) and nothing earlier', () => {
    expect(arrangementWindow(2027)).toEqual({ first: '2026-12-25', last: '2027-12-31' });
    expect(paths([{ name: '元旦', off: ['2026-12-31', '2027-01-02'], work: ['2026-12-26'] }])).toEqual([]);
  });

  it('a file entry needs its notice; an entered one is checked the same way when it has one', () => {
    const file: CalendarArrangement = { year: 2027, festivals: TEST_2027 };
    expect(arrangementProblems(file).map((p) => p.path)).toEqual(['notice.title', 'notice.documentNo']);
    expect(arrangementProblems({ ...entered(TEST_2027), notice: { title: '通知', documentNo: ' ' } }).map((p) => p.path)).toEqual(['notice.documentNo']);
  });

  it('a year out of range is one problem', () => {
    expect(arrangementProblems({ ...entered(TEST_2027), year: 1800 })).toEqual([{ path: 'year', message: '年份无效' }]);
  });
});

describe('the request schema (shape only)', () => {
  it('takes the body of PUT /calendar/{year}; work defaults to none', () => {
    const parsed = calendarPutBody.parse({ version: 0, notice: { title: '测试通知（非官方）', documentNo: '测试〔2026〕1号' }, festivals: [{ name: '元旦', off: ['2027-01-01', '2027-01-01'] }] });
    expect(parsed.festivals[0]!.work).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a date that does not parse', { off: ['2027-1-1', '2027-01-01'] }, 'festivals.0.off.0'],
    ['an off with one date', { off: ['2027-01-01'] }, 'festivals.0.off'],
    ['an unknown field', { days: 3 }, 'festivals.0'],
  ])('refuses %s at its path', (_label, change, path) => {
    const result = calendarPutBody.safeParse({ version: 0, notice: { title: '测试通知', documentNo: '无号' }, festivals: [{ name: '元旦', off: ['2027-01-01', '2027-01-01'], ...(change as object) }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('the year is four digits between 2000 and 2100', () => {
    expect(calendarYearParams.parse({ year: '2027' })).toEqual({ year: 2027 });
    for (const year of ['27', '1e3', '2027.0', '1999', '2101', ' 2027']) expect(calendarYearParams.safeParse({ year }).success, year).toBe(false);
  });
});

describe('the package as festivals, and an entry compared with it', () => {
  it('a package day of late December belongs to the next year’s notice', () => {
    expect(noticeYearOf('2018-12-29')).toBe(2019);
    expect(noticeYearOf('2018-12-24')).toBe(2018);
    expect([...packageDaysOf(2019).keys()].slice(0, 3)).toEqual(['2018-12-29', '2018-12-30', '2018-12-31']);
  });

  it('2025 from the package: runs of days off with their working weekends (国庆节 and 中秋节 together)', () => {
    expect(packageFestivals(2025)).toEqual([
      { name: '元旦', off: ['2025-01-01', '2025-01-01'], work: [] },
      { name: '春节', off: ['2025-01-28', '2025-02-04'], work: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', off: ['2025-04-04', '2025-04-06'], work: [] },
      { name: '劳动节', off: ['2025-05-01', '2025-05-05'], work: ['2025-04-27'] },
      { name: '端午节', off: ['2025-05-31', '2025-06-02'], work: [] },
      { name: '国庆节、中秋节', off: ['2025-10-01', '2025-10-08'], work: ['2025-09-28', '2025-10-11'] },
    ]);
    expect(packageFestivals(2027)).toEqual([]);
  });

  it('festivalsFromDays and arrangementProblems agree on the whole package (2004–2026)', () => {
    for (let year = 2004; year <= 2026; year++) {
      const festivals = festivalsFromDays(packageDaysOf(year));
      expect(arrangementProblems(entered(festivals, year)), String(year)).toEqual([]);
      expect(differencesFromPackage(year, festivals), String(year)).toEqual([]);
    }
  });

  it('an entered package year shows the dates counted differently, with both readings', () => {
    // Test data: 2025 as the package has it, except that 劳动节 ends on 4 May and 5 May is worked.
    const changed = packageFestivals(2025).map((f) => (f.name === '劳动节' ? { ...f, off: ['2025-05-01', '2025-05-04'] as const } : f));
    expect(differencesFromPackage(2025, changed)).toEqual([
      {
        date: '2025-05-05',
        package: { working: false, kind: 'HOLIDAY', reason: '劳动节' },
        entered: { working: true, kind: 'WORKDAY', reason: null },
      },
    ]);
  });

  it('a year the package does not cover has no differences', () => {
    expect(differencesFromPackage(2027, TEST_2027)).toEqual([]);
  });
});
