/**
 * The power list and the random-inspection item list (D2, D3): versions with effective dates,
 * history by `asOf`, repeal, and spreadsheet imports that are all-or-nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { startApi, uniqueId, type TestApi } from './helpers.ts';

let api: TestApi;
let admin: string;
let agencyId: string;

interface Err {
  error: { code: string; message: string; details?: { path?: string; message: string; row?: number }[] };
}
interface Version {
  code: string;
  versionNo: number;
  effectiveFrom: string;
  effectiveTo?: string;
  content: { name: string; type: string; agencyId: string; agencyName?: string };
}
interface Detail {
  code: string;
  version: number;
  current: Version | null;
  versions: Version[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const content = (name: string, type = 'PENALTY') => ({
  name,
  type,
  agencyId,
  handlingDivision: '执法稽查处',
  legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
  timeLimit: '立案之日起九十日内',
  flowchart: '立案→调查→告知→决定→送达',
  serviceGuide: '咨询电话 0527-80000000',
  remedies: '六十日内申请行政复议或六个月内提起行政诉讼',
});

beforeAll(async () => {
  api = await startApi();
  admin = await api.token(['admin'], { name: '法规处管理员' });
  agencyId = uniqueId('cat');
  const res = await api.fetchJson('/agencies', { token: admin, json: { id: agencyId, name: `目录测试局${agencyId}`, level: 'CITY', region: '某市' } });
  expect(res.status).toBe(201);
});
afterAll(async () => api.stop());

describe('power list versions (D2)', () => {
  it('a change makes a new version from its effective date; history stays queryable by asOf', async () => {
    const code = uniqueId('CF').toUpperCase();
    const created = await api.fetchJson<Detail>('/powers', {
      token: admin,
      json: { code, effectiveFrom: '2024-01-01', content: content('对未取得许可从事食品经营的处罚') },
    });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);

    const updated = await api.fetchJson<Detail>(`/powers/${code}`, {
      method: 'PUT',
      token: admin,
      json: { version: 1, effectiveFrom: '2025-07-01', changeNote: '依据法律修订', content: content('对未取得食品经营许可从事食品经营活动的处罚') },
    });
    expect(updated.status).toBe(201);
    expect(updated.body.version).toBe(2);

    const at = async (asOf: string) => (await api.fetchJson<Detail>(`/public/powers/${code}?asOf=${asOf}`)).body;
    expect((await at('2024-06-01')).current?.content.name).toBe('对未取得许可从事食品经营的处罚');
    expect((await at('2025-06-30')).current?.versionNo).toBe(1);
    expect((await at('2025-07-01')).current?.versionNo).toBe(2);
    expect((await at('2023-12-31')).current).toBeNull();
    const detail = await at('2026-01-01');
    expect(detail.versions.map((v) => [v.versionNo, v.effectiveFrom, v.effectiveTo])).toEqual([
      [1, '2024-01-01', '2025-07-01'],
      [2, '2025-07-01', undefined],
    ]);
    expect(detail.current?.content.agencyName).toBe(`目录测试局${agencyId}`);

    // The list shows one version per item: the one in force on the date asked.
    const list = async (asOf: string) =>
      (await api.fetchJson<Page<Version>>(`/public/powers?agencyId=${agencyId}&q=${code}&asOf=${asOf}`)).body.items;
    expect((await list('2024-06-01')).map((v) => v.versionNo)).toEqual([1]);
    expect((await list('2026-01-01')).map((v) => v.versionNo)).toEqual([2]);
  });

  it('a stale version gets 409; an effective date before the current one gets 422', async () => {
    const code = uniqueId('XK').toUpperCase();
    await api.fetchJson('/powers', { token: admin, json: { code, effectiveFrom: '2025-01-01', content: content('某许可', 'LICENSING') } });
    const early = await api.fetchJson<Err>(`/powers/${code}`, {
      method: 'PUT',
      token: admin,
      json: { version: 1, effectiveFrom: '2024-12-31', content: content('某许可（修订）', 'LICENSING') },
    });
    expect([early.status, early.body.error.code]).toEqual([422, 'INVALID_EFFECTIVE_DATE']);

    const concurrent = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        api.fetchJson<Err>(`/powers/${code}`, {
          method: 'PUT',
          token: admin,
          json: { version: 1, effectiveFrom: '2026-01-01', content: content(`某许可（修订${i}）`, 'LICENSING') },
        }),
      ),
    );
    expect(concurrent.filter((r) => r.status === 201)).toHaveLength(1);
    expect(concurrent.filter((r) => r.status === 409 && r.body.error.code === 'VERSION_CONFLICT')).toHaveLength(4);
    const detail = await api.fetchJson<Detail>(`/powers/${code}`, { token: admin });
    expect(detail.body.versions).toHaveLength(2);
  });

  it('a repealed item leaves the list from its repeal date but its history remains', async () => {
    const code = uniqueId('QZ').toUpperCase();
    await api.fetchJson('/powers', { token: admin, json: { code, effectiveFrom: '2024-03-01', content: content('查封扣押', 'COERCION') } });
    const repealed = await api.fetchJson<Detail>(`/powers/${code}/repeal`, {
      token: admin,
      json: { version: 1, effectiveTo: '2025-03-01', reason: '上位法废止' },
    });
    expect(repealed.status).toBe(200);
    const list = async (asOf: string) => (await api.fetchJson<Page<Version>>(`/public/powers?type=COERCION&q=${code}&asOf=${asOf}`)).body.items;
    expect(await list('2025-02-28')).toHaveLength(1);
    expect(await list('2025-03-01')).toHaveLength(0);
    const detail = await api.fetchJson<Detail & { versions: (Version & { repealReason?: string })[] }>(`/public/powers/${code}`);
    expect(detail.body.current).toBeNull();
    expect(detail.body.versions[0]).toMatchObject({ effectiveTo: '2025-03-01', repealReason: '上位法废止' });
  });

  it('a scheduled repeal is not dropped by a new version; a re-enactment after the repeal is allowed', async () => {
    const code = uniqueId('RP').toUpperCase();
    await api.fetchJson('/powers', { token: admin, json: { code, effectiveFrom: '2024-01-01', content: content('将废止的事项', 'OTHER') } });
    const repeal = await api.fetchJson(`/powers/${code}/repeal`, { token: admin, json: { version: 1, effectiveTo: '2030-01-01', reason: '拟废止' } });
    expect(repeal.status).toBe(200);
    const before = await api.fetchJson<Err>(`/powers/${code}`, {
      method: 'PUT',
      token: admin,
      json: { version: 1, effectiveFrom: '2029-01-01', content: content('废止前的修订', 'OTHER') },
    });
    expect([before.status, before.body.error.code]).toEqual([422, 'INVALID_EFFECTIVE_DATE']);
    expect(before.body.error.message).toContain('2030-01-01');
    const after = await api.fetchJson<Detail>(`/powers/${code}`, {
      method: 'PUT',
      token: admin,
      json: { version: 1, effectiveFrom: '2031-01-01', content: content('重新设定的事项', 'OTHER') },
    });
    expect(after.status).toBe(201);
    expect(after.body.versions.map((v) => [v.effectiveFrom, v.effectiveTo])).toEqual([
      ['2024-01-01', '2030-01-01'],
      ['2031-01-01', undefined],
    ]);
    expect((await api.fetchJson<Detail>(`/public/powers/${code}?asOf=2030-06-01`)).body.current).toBeNull();
  });

  it('filters by type, agency and keyword, paginating with a cursor', async () => {
    const prefix = uniqueId('PG').toUpperCase();
    for (let i = 0; i < 5; i++) {
      const res = await api.fetchJson('/powers', { token: admin, json: { code: `${prefix}-${i}`, effectiveFrom: '2024-01-01', content: content(`分页事项${i}`, 'OTHER') } });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page<Version> } = await api.fetchJson(
        `/public/powers?type=OTHER&agencyId=${agencyId}&q=${prefix}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((v) => v.code));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    expect(pages).toBe(3);
  });
});

describe('random-inspection items (D3)', () => {
  it('have the same versioning and appear in the public list', async () => {
    const code = uniqueId('SJ').toUpperCase();
    const item = {
      name: '食品销售者监督检查',
      agencyId,
      basis: '《中华人民共和国食品安全法》第一百一十条',
      object: '食品销售者',
      content: '许可情况、进货查验、贮存条件',
      ratio: '不低于5%',
      method: '双随机、一公开；现场检查',
      frequency: '每年一次',
    };
    expect((await api.fetchJson('/inspection-items', { token: admin, json: { code, effectiveFrom: '2025-01-01', content: item } })).status).toBe(201);
    const v2 = await api.fetchJson<Detail>(`/inspection-items/${code}`, {
      method: 'PUT',
      token: admin,
      json: { version: 1, effectiveFrom: '2026-01-01', content: { ...item, ratio: '不低于3%' } },
    });
    expect(v2.status).toBe(201);
    const pub = async (asOf: string) =>
      (await api.fetchJson<Page<{ code: string; content: { ratio: string } }>>(`/public/inspection-items?agencyId=${agencyId}&asOf=${asOf}`)).body.items;
    expect((await pub('2025-06-01')).find((i) => i.code === code)?.content.ratio).toBe('不低于5%');
    expect((await pub('2026-06-01')).find((i) => i.code === code)?.content.ratio).toBe('不低于3%');
  });
});

describe('power list import (CSV and XLSX)', () => {
  const header = ['项目编码', '事项名称', '事项类型', '实施主体', '承办机构', '设定依据', '办理时限', '流程图', '服务指南', '救济渠道', '生效日期'];
  const row = (code: string, name: string, type = '行政处罚', agency = agencyId, from = '2025-01-01') => [
    code,
    name,
    type,
    agency,
    '执法稽查处',
    '《产品质量法》第四十九条',
    '九十日',
    '立案→调查→决定',
    '咨询电话 0527-80000000',
    '行政复议或行政诉讼',
    from,
  ];
  const csv = (rows: string[][]) =>
    [header, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
  const importCsv = (text: string, dryRun = false) =>
    api.fetchJson<{ created: number; updated: number; unchanged: number; total: number } & Err>(`/powers/import${dryRun ? '?dryRun=true' : ''}`, {
      token: admin,
      body: text,
      headers: { 'content-type': 'text/csv' },
    });

  it('imports every row of a valid file, with an audit event per item; re-importing changes nothing', async () => {
    const p = uniqueId('IM').toUpperCase();
    const text = csv([row(`${p}-1`, '生产不合格产品的处罚'), row(`${p}-2`, '食品经营许可', '许可', `目录测试局${agencyId}`), row(`${p}-3`, '其他权力, 含逗号', '其他')]);
    const dry = await importCsv(text, true);
    expect(dry.status).toBe(200);
    expect((await api.fetchJson(`/public/powers/${p}-1`)).status).toBe(404);

    const first = await importCsv(text);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ total: 3, created: 3, updated: 0, unchanged: 0 });
    const item = await api.fetchJson<Detail>(`/public/powers/${p}-2`);
    expect(item.body.current?.content).toMatchObject({ type: 'LICENSING', agencyId });
    expect((await api.fetchJson<Detail>(`/public/powers/${p}-3`)).body.current?.content.name).toBe('其他权力, 含逗号');

    const again = await importCsv(text);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });

    const events = await api.fetchJson<{ items: { action: string }[] }>(`/audit/events?entityType=POWER&entityId=${p}-1`, { token: admin });
    expect(events.body.items.map((e) => e.action)).toEqual(['power.create']);
  });

  it('imports nothing if any row is wrong, and names each bad row and why', async () => {
    const p = uniqueId('BAD').toUpperCase();
    const text = csv([
      row(`${p}-1`, '正常的一行'),
      row(`${p}-2`, '类型错误', '罚款'),
      row(`${p}-3`, '主体不存在', '处罚', 'no-such-agency'),
      row(`${p}-1`, '编码重复'),
      row(`${p}-5`, '日期不存在', '处罚', agencyId, '2025-02-30'),
      row(`${p}-6`, ''),
    ]);
    const res = await importCsv(text);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    const byRow = new Map((res.body.error.details ?? []).map((d) => [d.row, d.message]));
    expect([...byRow.keys()]).toEqual([3, 4, 5, 6, 7]);
    expect(byRow.get(3)).toContain('事项类型');
    expect(byRow.get(4)).toContain('no-such-agency');
    expect(byRow.get(5)).toContain('第 2 行重复');
    expect(byRow.get(6)).toContain('生效日期');
    expect(byRow.get(7)).toContain('事项名称');
    // Row 2 was valid, but nothing was imported.
    expect((await api.fetchJson(`/public/powers/${p}-1`)).status).toBe(404);
  });

  it('reads .xlsx workbooks too, and makes new versions of changed items', async () => {
    const p = uniqueId('XL').toUpperCase();
    const first = await writeXlsxFile([header, row(`${p}-1`, '工业产品生产许可', '许可', agencyId, '2025-01-01')]).toBuffer();
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const r1 = await api.fetchJson<{ created: number }>('/powers/import', { token: admin, body: first, headers: { 'content-type': type } });
    expect(r1.status, r1.text).toBe(201);
    expect(r1.body.created).toBe(1);

    const second = await writeXlsxFile([header, row(`${p}-1`, '工业产品生产许可（修订）', '许可', agencyId, '2026-01-01')]).toBuffer();
    const r2 = await api.fetchJson<{ updated: number }>('/powers/import', { token: admin, body: second, headers: { 'content-type': type } });
    expect(r2.body.updated).toBe(1);
    const detail = await api.fetchJson<Detail>(`/public/powers/${p}-1?asOf=2026-02-01`);
    expect(detail.body.versions).toHaveLength(2);
    expect(detail.body.current?.content.name).toBe('工业产品生产许可（修订）');
  });

  it('a file missing required columns is refused with the column names', async () => {
    const res = await importCsv('项目编码,事项名称\nA1,某事项');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(res.body.error.message).toContain('事项类型');
  });
});

describe('the review catalogue (L3) as versioned data', () => {
  it('answers the national defaults until admins set a version; versions take effect from their date', async () => {
    const before = await api.fetchJson<{ version: number; current: unknown; defaults: { largeFineYuan: { natural: number; org: number } } }>('/review-catalogue', { token: admin });
    expect(before.status).toBe(200);
    expect(before.body.version).toBe(0);
    expect(before.body.defaults.largeFineYuan).toEqual({ natural: 10000, org: 100000 });

    const content = {
      enabledRules: ['GENERAL_PROCEDURE_PENALTY', 'LARGE_FINE'],
      largeFineYuan: { natural: 5000, org: 50000 },
      requiredMaterials: { PENALTY: ['决定书草稿'], LICENSING: [], COERCION: [], INSPECTION: [], OTHER: [] },
      opinionWorkingDays: 7,
      minCollectiveLeaders: 3,
    };
    // Far in the future so the other test files' decisions keep the defaults.
    const created = await api.fetchJson<{ version: number }>('/review-catalogue', { method: 'PUT', token: admin, json: { version: 0, effectiveFrom: '2031-01-01', content } });
    expect(created.status, created.text).toBe(201);
    expect((await api.fetchJson<{ current: unknown }>('/review-catalogue?asOf=2030-12-31', { token: admin })).body.current).toBeNull();
    const in2031 = await api.fetchJson<{ current: { content: typeof content } }>('/review-catalogue?asOf=2031-06-01', { token: admin });
    expect(in2031.body.current.content.largeFineYuan).toEqual({ natural: 5000, org: 50000 });

    const stale = await api.fetchJson<{ error: { code: string } }>('/review-catalogue', { method: 'PUT', token: admin, json: { version: 0, effectiveFrom: '2032-01-01', content } });
    expect(stale.status).toBe(409);
    const badRule = await api.fetchJson('/review-catalogue', { method: 'PUT', token: admin, json: { version: 1, content: { ...content, enabledRules: ['NO_SUCH_RULE'] } } });
    expect(badRule.status).toBe(400);
    expect((await api.fetchJson('/review-catalogue', { method: 'PUT', token: await api.token(['leader']), json: { version: 1, content } })).status).toBe(403);
  });
});
