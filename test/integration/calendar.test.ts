/**
 * Holiday arrangements entered at run time (D7, N4; issue 11, point 1): GET /calendar/{year} (staff),
 * GET /public/calendar/{year}, PUT /calendar/{year} (admin) — versioned, audited, validated as the
 * override file is, and used by `currentCalendar()` at once.
 *
 * Every 2027 arrangement below is INVENTED TEST DATA, not the State Council's notice (which is not
 * published yet); 2025 is the packaged arrangement with one change made up for the test.
 *
 * Isolation: entering a year changes how every deadline reaching it is counted. This file therefore
 * keeps its entries in a Catalog table of its own (created below, same key schema), so that the other
 * files, which share DynamoDB Local, never see an invented 2027 or a changed 2025. The PUT does not
 * recount provisional deadlines itself (the jobs function does: provisional.test.ts), so entering 2027
 * here changes no other file's decisions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi, ownTable } from './helpers.ts';

interface Festival {
  name: string;
  off: [string, string];
  work: string[];
}
interface Side {
  working: boolean;
  kind: string;
  reason: string | null;
}
interface YearView {
  year: number;
  source: 'PACKAGE' | 'OVERRIDE_FILE' | 'ENTERED' | 'NONE';
  package: { name: string; version: string; covers: boolean };
  version: number;
  notice: { title: string; documentNo: string } | null;
  festivals: Festival[];
  enteredAt: string | null;
  differsFromPackage: boolean;
  differences: { date: string; package: Side; entered: Side }[];
  note: string;
  enteredBy?: string | null;
  reason?: string | null;
  history?: { version: number; enteredBy: string; reason: string | null; differsFromPackage: boolean }[];
  recount?: string;
}
interface Err {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

/** INVENTED TEST DATA for 2027 (plausible, valid): 元旦 on Friday 1 January, 春节 with two working weekend days. */
const NOTICE_2027 = { title: '国务院办公厅关于2027年部分节假日安排的通知（测试数据，非官方）', documentNo: '测试〔2026〕1号' };
const FESTIVALS_2027: Festival[] = [
  { name: '元旦', off: ['2027-01-01', '2027-01-01'], work: [] },
  { name: '春节', off: ['2027-02-06', '2027-02-14'], work: ['2027-01-31', '2027-02-20'] },
  { name: '清明节', off: ['2027-04-03', '2027-04-05'], work: [] },
  { name: '劳动节', off: ['2027-05-01', '2027-05-05'], work: ['2027-04-25', '2027-05-08'] },
  { name: '国庆节', off: ['2027-10-01', '2027-10-07'], work: ['2027-09-26', '2027-10-09'] },
];

let api: TestApi;
let admin: string;
let officer: string;
let dropTable: () => Promise<void>;

beforeAll(async () => {
  api = await startApi();
  // The file's own Catalog table (see the header); the handlers run in this process and read the name once.
  ({ drop: dropTable } = await ownTable('Catalog', 'calendar'));
  admin = await api.token(['admin'], { name: '法规处管理员' });
  officer = await api.token(['officer'], { agencyId: 'sq-city' });
});
afterAll(async () => {
  await api?.stop();
  await dropTable?.();
});

const put = (year: number, json: unknown, token = admin) => api.fetchJson<YearView & Err>(`/calendar/${year}`, { method: 'PUT', token, json });
const staffView = async (year: number) => {
  const res = await api.fetchJson<YearView>(`/calendar/${year}`, { token: officer });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const publicView = async (year: number) => {
  const res = await api.fetchJson<YearView>(`/public/calendar/${year}`);
  expect(res.status, res.text).toBe(200);
  return res;
};
const entry2027 = (festivals: Festival[], extra: Record<string, unknown> = {}) => ({ version: 0, notice: NOTICE_2027, festivals, ...extra });

describe('entering 2027 (invented test data)', () => {
  it('before anything is entered, 2027 has no data and deadlines reaching it are provisional', async () => {
    const view = await staffView(2027);
    expect(view).toMatchObject({ year: 2027, source: 'NONE', version: 0, notice: null, festivals: [], differsFromPackage: false, history: [] });
    expect(view.note).toContain('暂按周一至周五计算');

    const { currentCalendar, forgetCalendar } = await import('../../shared/services/calendar.ts');
    forgetCalendar();
    const result = (await currentCalendar()).addWorkingDays('2026-12-30', 3);
    // Monday–Friday: Thu 31 Dec (1), Fri 1 Jan (2), Mon 4 Jan (3).
    expect(result.dueDate).toBe('2027-01-04');
    expect(result.provisional?.missingYears).toEqual([2027]);
  });

  it('a non-admin may read but not enter: 403, nothing stored', async () => {
    const res = await put(2027, entry2027(FESTIVALS_2027), officer);
    expect(res.status).toBe(403);
    expect((await staffView(2027)).version).toBe(0);
  });

  it.each<[string, Festival[] | Record<string, unknown>, number, string, string]>([
    ['an off range that runs backwards', [FESTIVALS_2027[0]!, { name: '春节', off: ['2027-02-14', '2027-02-06'], work: [] }], 422, 'HOLIDAY_ARRANGEMENT_INVALID', 'body.festivals.1.off'],
    ['an adjusted working day on a weekday (Mon 15 Feb)', [FESTIVALS_2027[0]!, { name: '春节', off: ['2027-02-06', '2027-02-14'], work: ['2027-02-15'] }], 422, 'HOLIDAY_ARRANGEMENT_INVALID', 'body.festivals.1.work.0'],
    ['a date outside the year’s window', [{ name: '元旦', off: ['2026-12-20', '2027-01-01'], work: [] }], 422, 'HOLIDAY_ARRANGEMENT_INVALID', 'body.festivals.0.off.0'],
    ['the same festival twice', [...FESTIVALS_2027, { name: '春节', off: ['2027-06-01', '2027-06-01'], work: [] }], 422, 'HOLIDAY_ARRANGEMENT_INVALID', 'body.festivals.5.name'],
    ['overlapping dates', [...FESTIVALS_2027, { name: '端午节', off: ['2027-05-05', '2027-05-06'], work: [] }], 422, 'HOLIDAY_ARRANGEMENT_INVALID', 'body.festivals.5.off'],
    ['a date that is not a date', [{ name: '元旦', off: ['2027-02-30', '2027-03-01'], work: [] }], 400, 'VALIDATION_FAILED', 'body.festivals.0.off.0'],
    ['no notice', { version: 0, festivals: FESTIVALS_2027 }, 400, 'VALIDATION_FAILED', 'body.notice'],
  ])('bad input is refused naming the field, nothing stored: %s', async (_label, input, status, code, path) => {
    const res = await put(2027, Array.isArray(input) ? entry2027(input) : input);
    expect(res.status, res.text).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details?.map((d) => d.path)).toContain(path);
    expect((await staffView(2027)).version).toBe(0);
  });

  it('an admin enters 2027: version 1, shown to staff and to the public, recounted by the jobs function', async () => {
    const res = await put(2027, entry2027(FESTIVALS_2027));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ year: 2027, source: 'ENTERED', version: 1, notice: NOTICE_2027, festivals: FESTIVALS_2027, differsFromPackage: false, differences: [] });
    // The recount is the jobs function's (least privilege); the answer says when it happens.
    expect(res.body.recount).toContain('recount-provisional');

    const staff = await staffView(2027);
    expect(staff).toMatchObject({ source: 'ENTERED', version: 1, festivals: FESTIVALS_2027, enteredBy: '法规处管理员', reason: null });
    expect(staff.history?.map((h) => h.version)).toEqual([1]);

    const pub = await publicView(2027);
    expect(pub.body).toMatchObject({ year: 2027, source: 'ENTERED', version: 1, notice: NOTICE_2027, festivals: FESTIVALS_2027 });
    expect(pub.body).not.toHaveProperty('enteredBy');
    expect(pub.body).not.toHaveProperty('history');
    expect(pub.body).not.toHaveProperty('reason');
  });

  it('currentCalendar() counts across the entered New Year day at once', async () => {
    const { currentCalendar } = await import('../../shared/services/calendar.ts');
    const result = (await currentCalendar()).addWorkingDays('2026-12-30', 3);
    // Thu 31 Dec (1); Fri 1 Jan 元旦; Sat 2, Sun 3; Mon 4 (2); Tue 5 (3).
    expect(result.dueDate).toBe('2027-01-05');
    expect(result.skipped).toEqual([
      { date: '2027-01-01', reason: '元旦' },
      { date: '2027-01-02', reason: '周六' },
      { date: '2027-01-03', reason: '周日' },
    ]);
    expect(result.provisional).toBeUndefined();
    // An entered adjusted working day counts: Fri 19 Feb + 1 = Sat 20 Feb (春节调休上班).
    expect((await currentCalendar()).addWorkingDays('2027-02-19', 1).adjustedWorkdays).toEqual([{ date: '2027-02-20', reason: '春节调休上班' }]);
  });

  it('a change needs a reason and the version read; each is a new version with its audit event', async () => {
    const changed = FESTIVALS_2027.map((f) => (f.name === '国庆节' ? { ...f, off: ['2027-10-01', '2027-10-08'] as [string, string], work: ['2027-09-26'] } : f));

    const noReason = await put(2027, { ...entry2027(changed), version: 1 });
    expect(noReason.status, noReason.text).toBe(422);
    expect(noReason.body.error).toMatchObject({ code: 'REASON_REQUIRED', details: [{ path: 'body.reason' }] });

    const stale = await put(2027, { ...entry2027(changed), version: 0, reason: '通知更正' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await staffView(2027)).version).toBe(1);

    const ok = await put(2027, { ...entry2027(changed), version: 1, reason: '据国务院办公厅更正通知调整国庆节安排（测试）' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ version: 2, festivals: changed, reason: '据国务院办公厅更正通知调整国庆节安排（测试）' });
    expect(ok.body.history?.map((h) => [h.version, h.reason])).toEqual([
      [1, null],
      [2, '据国务院办公厅更正通知调整国庆节安排（测试）'],
    ]);

    const same = await put(2027, { ...entry2027(changed), version: 2, reason: '重复提交' });
    expect(same.status).toBe(409);
    expect(same.body.error.code).toBe('NO_CHANGE');

    const events = await api.fetchJson<{ items: { action: string; entityId: string; change: { versionNo: number; reason?: string } }[] }>(
      '/audit/events?entityType=CALENDAR&entityId=2027',
      { token: admin },
    );
    expect(events.status, events.text).toBe(200);
    expect(events.body.items.map((e) => [e.action, e.change.versionNo])).toEqual([
      ['calendar.enter', 1],
      ['calendar.change', 2],
    ]);
    expect(events.body.items[1]!.change.reason).toBe('据国务院办公厅更正通知调整国庆节安排（测试）');
  });

  it('of two concurrent changes of the same version exactly one wins', async () => {
    const a = FESTIVALS_2027.map((f) => (f.name === '清明节' ? { ...f, off: ['2027-04-03', '2027-04-06'] as [string, string] } : f));
    const b = FESTIVALS_2027.map((f) => (f.name === '清明节' ? { ...f, off: ['2027-04-04', '2027-04-06'] as [string, string] } : f));
    const answers = await Promise.all([put(2027, { ...entry2027(a), version: 2, reason: '并发测试甲' }), put(2027, { ...entry2027(b), version: 2, reason: '并发测试乙' })]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await staffView(2027)).history?.map((h) => h.version)).toEqual([1, 2, 3]);
  });
});

describe('a year the package covers (2025)', () => {
  // The packaged 2025, with 劳动节 ending on Sunday 4 May and Monday 5 May worked: made up for the test.
  const changed2025 = async () => {
    const pkg = await staffView(2025);
    return pkg.festivals.map((f) => (f.name === '劳动节' ? { ...f, off: ['2025-05-01', '2025-05-04'] as [string, string] } : f));
  };

  it('shows the package as its source, with its festivals', async () => {
    const view = await staffView(2025);
    expect(view).toMatchObject({ source: 'PACKAGE', version: 0, package: { name: 'chinese-days', covers: true }, notice: null, differsFromPackage: false });
    expect(view.festivals.find((f) => f.name === '春节')).toEqual({ name: '春节', off: ['2025-01-28', '2025-02-04'], work: ['2025-01-26', '2025-02-08'] });
  });

  it('entering it without a reason is refused, naming the field; nothing stored', async () => {
    const res = await put(2025, { version: 0, notice: { title: '国务院办公厅关于2025年部分节假日安排的通知', documentNo: '国办发明电〔2024〕12号' }, festivals: await changed2025() });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'REASON_REQUIRED', details: [{ path: 'body.reason' }] });
    expect((await staffView(2025)).source).toBe('PACKAGE');
  });

  it('with a reason it is stored, wins over the package, and the differing dates are shown as such', async () => {
    const res = await put(2025, {
      version: 0,
      notice: { title: '国务院办公厅关于2025年部分节假日安排的通知', documentNo: '国办发明电〔2024〕12号' },
      festivals: await changed2025(),
      reason: '测试：核对程序包数据（非真实更正）',
    });
    expect(res.status, res.text).toBe(201);
    const expected = [{ date: '2025-05-05', package: { working: false, kind: 'HOLIDAY', reason: '劳动节' }, entered: { working: true, kind: 'WORKDAY', reason: null } }];
    expect(res.body).toMatchObject({ source: 'ENTERED', version: 1, differsFromPackage: true, differences: expected });
    expect(res.body.note).toContain('与程序包数据有 1 天不同');

    const pub = (await publicView(2025)).body;
    expect(pub).toMatchObject({ source: 'ENTERED', differsFromPackage: true, differences: expected });

    const { currentCalendar } = await import('../../shared/services/calendar.ts');
    expect((await currentCalendar()).describeDay('2025-05-05')).toMatchObject({ working: true, kind: 'WORKDAY' });
    expect((await currentCalendar()).describeDay('2025-05-02')).toMatchObject({ working: false, kind: 'HOLIDAY', reason: '劳动节' });
  });
});

describe('the routes', () => {
  it('a year out of range or not a year: 400 naming the path parameter', async () => {
    for (const year of ['1999', '27', 'abcd']) {
      const res = await api.fetchJson<Err>(`/public/calendar/${year}`);
      expect(res.status, year).toBe(400);
      expect(res.body.error.details?.[0]?.path).toBe('path.year');
    }
  });

  it('the public OpenAPI document describes the public route with its answer', async () => {
    const doc = await api.fetchJson<{ paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: { $ref?: string } }> }> } }> }>('/public/openapi.json');
    const op = doc.body.paths['/public/calendar/{year}']?.get;
    expect(op?.responses['200']?.content['application/json']?.schema.$ref).toBe('#/components/schemas/CalendarYear');
  });
});
