/** 节假日安排's pure logic (console/src/lib/calendar.ts; issue 16, point 5; D7, N4, issue 11). */
import { describe, expect, it } from 'vitest';
import { calendarPutBody } from '../../shared/domain/calendar.ts';
import { FIRST_YEAR as API_FIRST, LAST_YEAR as API_LAST } from '../../shared/domain/dates.ts';
import { arrangementProblems } from '../../shared/domain/working-days.ts';
import { RECOUNT_NOTE } from '../../shared/services/calendar.ts';
import {
  DEADLINE_EFFECT,
  FIRST_YEAR,
  LAST_YEAR,
  calendarChanges,
  calendarErrors,
  cleanFestivals,
  draftFromView,
  emptyFestival,
  offText,
  pickerYears,
  putBody,
  reasonRequired,
  splitDates,
  totals,
  weekday,
  workText,
} from '../../console/src/lib/calendar.ts';
import type { ApiError } from '../../console/src/lib/errors.ts';

const spring = { name: '春节', off: ['2027-02-06', '2027-02-13'] as [string, string], work: ['2027-01-31', '2027-02-20'] };

describe('the years', () => {
  it('are the API’s range; the picker offers a few back and two ahead, and the year shown', () => {
    expect([FIRST_YEAR, LAST_YEAR]).toEqual([API_FIRST, API_LAST]);
    expect(pickerYears(2026, 2026)).toEqual([2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028]);
    expect(pickerYears(2026, 2015)[0]).toBe(2015);
  });
});

describe('a year in words', () => {
  it('names each day with its weekday and counts the days off', () => {
    expect(weekday('2027-02-20')).toBe('周六');
    expect(weekday('2027-02-31x')).toBe('');
    expect(offText(spring.off)).toBe('2 月 6 日（周六）至 2 月 13 日（周六），共 8 天');
    expect(offText(['2027-01-01', '2027-01-01'])).toBe('1 月 1 日（周五），共 1 天');
    expect(workText([])).toBe('无调休');
    expect(workText(spring.work)).toBe('1 月 31 日（周日）、2 月 20 日（周六）');
    expect(totals([spring, { name: '元旦', off: ['2027-01-01', '2027-01-03'], work: [] }])).toEqual({ off: 11, work: 2 });
  });

  it('says that provisional deadlines are recounted when a year is entered, as the API does', () => {
    expect(DEADLINE_EFFECT).toContain('暂定期限');
    expect(DEADLINE_EFFECT).toContain('重新计算');
    expect(RECOUNT_NOTE).toContain('暂定期限');
  });
});

describe('the form', () => {
  it('opens on the year in force, one empty row when there is none', () => {
    const d = draftFromView({ notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', documentNo: '国办发明电〔2026〕7号' }, festivals: [spring] });
    expect(d.festivals).toEqual([{ name: '春节', from: '2027-02-06', to: '2027-02-13', work: '2027-01-31, 2027-02-20' }]);
    expect(draftFromView({ notice: null, festivals: [] })).toEqual({ title: '', documentNo: '', festivals: [emptyFestival()], reason: '' });
  });

  it('keeps only a row’s fields from a saved draft', () => {
    expect(cleanFestivals([{ name: '元旦', from: '2027-01-01', to: 3, extra: 'x' }, null])).toEqual([{ name: '元旦', from: '2027-01-01', to: '', work: '' }]);
    expect(cleanFestivals('nonsense')).toEqual([emptyFestival()]);
  });

  it('sends what was typed as the API’s body, which its schema accepts; the reason only when given', () => {
    const draft = { ...draftFromView({ notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', documentNo: '国办发明电〔2026〕7号' }, festivals: [spring] }), reason: '' };
    const body = putBody({ ...draft, festivals: [{ ...draft.festivals[0]!, work: '2027-01-31，2027-02-20、 ' }] }, 0);
    expect(body).toEqual({ version: 0, notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', documentNo: '国办发明电〔2026〕7号' }, festivals: [spring] });
    expect(calendarPutBody.parse(body)).toEqual(body);
    expect(putBody({ ...draft, reason: ' 更正文号 ' }, 2)).toMatchObject({ version: 2, reason: '更正文号' });
    expect(splitDates('')).toEqual([]);
  });

  it('asks for a reason unless the year has no arrangement yet', () => {
    expect(reasonRequired({ source: 'NONE' })).toBe(false);
    expect(reasonRequired({ source: 'PACKAGE' })).toBe(true);
    expect(reasonRequired({ source: 'ENTERED' })).toBe(true);
  });

  it('puts each of the API’s problems beside the row and field it concerns', () => {
    // The same check the API runs (working-days.ts), reported as the API reports it (body.…).
    const problems = arrangementProblems({
      year: 2027,
      notice: { title: '通知', documentNo: '文号' },
      festivals: [
        { name: '元旦', off: ['2027-01-03', '2027-01-01'], work: [] },
        { name: '春节', off: ['2027-02-06', '2027-02-13'], work: ['2027-02-17'] },
      ],
      source: 'entered',
    });
    const error: ApiError = {
      status: 422,
      code: 'HOLIDAY_ARRANGEMENT_INVALID',
      message: '2027 年节假日安排有误',
      details: [...problems.map((p) => ({ path: `body.${p.path}`, message: p.message })), { path: 'body.reason', message: '须说明原因' }, { path: 'body.notice.documentNo', message: '过短' }, { path: 'body.festivals', message: '至少一项' }, { path: 'version', message: '当前版本为 2' }],
    };
    const { byField, general } = calendarErrors(error);
    expect(byField['festivals.0.off']?.[0]).toContain('倒置');
    expect(byField['festivals.1.work']?.[0]).toContain('2027-02-17');
    expect(byField.reason).toEqual(['须说明原因']);
    expect(byField['notice.documentNo']).toEqual(['过短']);
    expect(byField.festivals).toEqual(['至少一项']);
    expect(general).toEqual(['当前版本为 2']);
  });
});

describe('after a 409', () => {
  it('says what the reloaded year changed: version, who and why, the notice, each festival added, changed or removed', () => {
    const base = { year: 2027, source: 'ENTERED' as const, package: { name: 'p', version: '1', covers: false }, enteredAt: null, differsFromPackage: false, differences: [], note: '', history: [] };
    const before = { ...base, version: 1, enteredBy: '甲', reason: null, notice: { title: 'T', documentNo: '7号' }, festivals: [spring, { name: '元旦', off: ['2027-01-01', '2027-01-01'] as [string, string], work: [] }] };
    const after = { ...base, version: 2, enteredBy: '乙', reason: '更正', notice: { title: 'T', documentNo: '8号' }, festivals: [{ ...spring, work: ['2027-02-20'] }, { name: '清明节', off: ['2027-04-05', '2027-04-05'] as [string, string], work: [] }] };
    expect(calendarChanges(before, after)).toEqual(['现为第 2 版（乙 录入：更正）', '文号：7号 → 8号', '春节：2 月 6 日（周六）至 2 月 13 日（周六），共 8 天；调休：2 月 20 日（周六）', '新增 清明节：4 月 5 日（周一），共 1 天；调休：无调休', '删去 元旦']);
    expect(calendarChanges(before, before)).toEqual([]);
  });
});
