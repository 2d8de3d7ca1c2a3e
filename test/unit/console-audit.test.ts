/** 审计记录's pure logic (console/src/lib/audit.ts; issue 16, point 5; R7, I2). */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_LABELS,
  ENTITY_TYPES,
  actionLabel,
  actorRoles,
  chainRunText,
  changeSummary,
  checkpointSummary,
  coverageQuery,
  coverageText,
  headCovered,
  eventsQuery,
  queryErrors,
  shanghaiTime,
  verifySummary,
  type ChainReport,
  type VerifyReport,
} from '../../console/src/lib/audit.ts';
import { REPO_ROOT } from '../e2e/portal-support.ts';

const chain = (name: string, over: Partial<ChainReport> = {}): ChainReport => ({ chain: name, ok: true, checked: 5, headSeq: 5, firstBreak: null, ...over });
const report = (chains: ChainReport[]): VerifyReport => ({
  ok: chains.every((c) => c.ok),
  checked: chains.reduce((n, c) => n + c.checked, 0),
  headSeq: chains.reduce((n, c) => n + c.headSeq, 0),
  firstBreak: chains.find((c) => c.firstBreak)?.firstBreak ?? null,
  chains,
  verifiedAt: '2026-12-02T16:30:00.000Z',
});

describe('the records one can ask for', () => {
  it('are exactly the entity types GET /audit/events accepts, each with a name and what its id is', () => {
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'shared/openapi/internal.json'), 'utf8')) as { paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }> };
    const accepted = doc.paths['/audit/events']!.get.parameters.find((p) => p.name === 'entityType')!.schema.enum;
    expect(ENTITY_TYPES.map((t) => t.type).sort()).toEqual([...(accepted ?? [])].sort());
    for (const t of ENTITY_TYPES) expect(t.label.length * t.idHint.length).toBeGreaterThan(0);
  });
});

describe('what an event says', () => {
  it('names every action the services record with a fixed name, and shows an unknown one as recorded', () => {
    const dir = join(REPO_ROOT, 'shared/services');
    const recorded = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/action: '([a-z_]+(?:\.[a-z_-]+)+)'/g)) recorded.add(m[1]!);
    }
    expect(recorded.size).toBeGreaterThan(30);
    expect([...recorded].filter((a) => !(a in AUDIT_ACTION_LABELS))).toEqual([]);
    expect(actionLabel('case.open')).toBe('立案');
    expect(actionLabel('power.repeal')).toBe('废止职权事项');
    expect(actionLabel('something.new')).toBe('something.new');
  });

  it('tells the time in Beijing, to the second', () => {
    expect(shanghaiTime('2026-12-31T16:05:09.120Z')).toBe('2027-01-01 00:05:09');
    expect(shanghaiTime('not a time')).toBe('not a time');
  });

  it('names the actor’s roles, a device’s included', () => {
    expect(actorRoles(['officer', 'reviewer'])).toBe('执法人员、法制审核人员');
    expect(actorRoles(['device'])).toBe('执法记录设备');
  });

  it('summarises a field diff as old → new, a new record by its name, other facts as they are', () => {
    expect(changeSummary({ certificateStatus: { from: 'VALID', to: 'SUSPENDED' }, reason: '暂扣' })).toEqual(['证件状态：VALID → SUSPENDED', '原因：暂扣']);
    expect(changeSummary({ after: { id: 'sq-city', name: '宿迁市市场监督管理局', level: 'CITY' } })).toEqual(['新建记录「宿迁市市场监督管理局」（3 项内容）']);
    expect(changeSummary({ officerIds: ['o1', 'o2'], late: false, note: null, content: { a: 1, b: 2 } })).toEqual(['officerIds：o1、o2', 'late：否', '说明：空', 'content：2 项内容']);
    expect(changeSummary({})).toEqual(['（无变更内容）']);
  });

  it('keeps a long change short: long text clipped, at most six lines and how many more', () => {
    const long = 'x'.repeat(200);
    expect(changeSummary({ reason: long })[0]).toBe(`原因：${'x'.repeat(60)}…`);
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, i]));
    const lines = changeSummary(many);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe('另有 3 项，见完整内容');
  });
});

describe('the query', () => {
  it('trims the id and asks a page at a time, continuing from the cursor', () => {
    expect(eventsQuery({ entityType: 'Officer', entityId: '  o-1 ' })).toEqual({ entityType: 'Officer', entityId: 'o-1', limit: 50 });
    expect(eventsQuery({ entityType: 'Officer', entityId: 'o-1' }, 'c2')).toMatchObject({ cursor: 'c2' });
  });

  it('puts the API’s query errors beside their fields and keeps the rest', () => {
    const e = queryErrors({ status: 400, code: 'VALIDATION_FAILED', message: '查询参数无效', details: [{ path: 'query.entityId', message: '至少 1 个字符' }, { path: 'query.limit', message: '太大' }] });
    expect(e.byField).toEqual({ entityId: ['至少 1 个字符'] });
    expect(e.general).toEqual(['太大']);
  });
});

describe('the verification in words', () => {
  it('says every chain is intact, how many events were checked and when (Beijing time)', () => {
    const s = verifySummary(report([chain('s00'), chain('s01', { checked: 7, headSeq: 7 })]));
    expect(s.ok).toBe(true);
    expect(s.headline).toBe('2 条审计链全部完整：共校验 12 条事件，每条事件的哈希、前后链接与链头记录一致（2026-12-03 00:30:00 校验）。');
    expect(s.details).toEqual([]);
  });

  it('names the first break, what it means, and what to do (the operators’ npm run audit:verify)', () => {
    const firstBreak = { kind: 'HASH_MISMATCH', chain: 's03', seq: 12, message: '审计链 s03 第 12 号审计事件内容与其哈希不符（已被改动）' };
    const s = verifySummary(report([chain('s00'), chain('s03', { ok: false, checked: 12, headSeq: 20, firstBreak })]));
    expect(s.ok).toBe(false);
    expect(s.headline).toMatch(/^1 条审计链断裂（共 2 条）/);
    expect(s.details[0]).toContain('审计链 s03 第 12 号事件');
    expect(s.details[1]).toContain('内容在写入后被改动');
    expect(s.details.join('')).toContain('npm run audit:verify');
  });

  it('says so when there is nothing yet to verify', () => {
    expect(verifySummary(report([])).headline).toContain('尚无审计事件');
  });
});

describe('a checkpoint run in words', () => {
  const run = (chains: { chain: string; status: string; treeSize: number; previousSize: number; message?: string }[]) => ({
    created: chains.filter((c) => c.status === 'CHECKPOINTED').length,
    eventsRead: chains.reduce((n, c) => n + (c.treeSize - c.previousSize), 0),
    nodesWritten: 0,
    broken: chains.filter((c) => c.status === 'BROKEN').length,
    chains: chains.map((c) => ({ eventsRead: 0, nodesWritten: 0, ...c })),
  });

  it('counts the new checkpoints and the chains without new events, and points outsiders to npm run verify-log', () => {
    const s = checkpointSummary(run([{ chain: 's00', status: 'CHECKPOINTED', treeSize: 20, previousSize: 18 }, { chain: 's01', status: 'UNCHANGED', treeSize: 12, previousSize: 12 }]));
    expect(s.ok).toBe(true);
    expect(s.headline).toBe('已为 1 条审计链生成新的签名检查点（共纳入 2 条新事件）；其余 1 条自上次检查点以来没有新事件。');
    expect(s.details.join('')).toContain('npm run verify-log');
  });

  it('says nothing was needed when no chain had new events', () => {
    expect(checkpointSummary(run([{ chain: 's00', status: 'UNCHANGED', treeSize: 3, previousSize: 3 }])).headline).toBe('所有 1 条审计链自上次检查点以来都没有新事件，无需生成新的检查点。');
  });

  it('explains a chain that could not be signed', () => {
    const s = checkpointSummary(run([{ chain: 's02', status: 'BROKEN', treeSize: 4, previousSize: 4, message: '审计链 s02 第 5 号事件内容与其哈希不符' }]));
    expect(s.ok).toBe(false);
    expect(s.details[0]).toMatch(/^1 条审计链未能签名/);
    expect(chainRunText({ chain: 's02', status: 'BROKEN', treeSize: 4, previousSize: 4, eventsRead: 0, nodesWritten: 0, message: '审计链 s02 第 5 号事件内容与其哈希不符' })).toBe('未签名：审计链 s02 第 5 号事件内容与其哈希不符');
  });

  it('describes each chain’s checkpoint by the events it covers', () => {
    expect(chainRunText({ chain: 's00', status: 'CHECKPOINTED', treeSize: 20, previousSize: 18, eventsRead: 2, nodesWritten: 3 })).toBe('新检查点：第 1–20 号事件（本次新增 2 条）');
    expect(chainRunText({ chain: 's01', status: 'UNCHANGED', treeSize: 12, previousSize: 12, eventsRead: 0, nodesWritten: 0 })).toBe('无新事件，最新检查点覆盖第 1–12 号事件');
  });
});

describe('whether a chain is signed', () => {
  it('asks the public list for a checkpoint of the head’s size, and says whether there is one', () => {
    expect(coverageQuery('s03', 22)).toBe('/public/audit/checkpoints?chain=s03&from=22&limit=1');
    expect(headCovered(22, { items: [{ treeSize: 22 }] })).toBe(true);
    expect(headCovered(22, { items: [] })).toBe(false);
    expect(coverageText(22, true)).toBe('已签名：第 1–22 号事件');
    expect(coverageText(22, false)).toBe('最新事件尚未签名（每小时自动签名，也可立即生成）');
    expect(coverageText(22, null)).toBe('无法读取检查点');
    expect(coverageText(0, false)).toBe('无事件');
  });
});
