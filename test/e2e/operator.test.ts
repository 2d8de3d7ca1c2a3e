/**
 * An operator's day with the local system, end to end through real processes: `npm start` on a
 * fresh data directory seeds the demo bureau; `npm run import:powers` and `npm run audit:verify`
 * work beside the running instance and without it; `npm run device` uploads evidence as a body
 * camera does, with the credentials `npm start` prints; a restart keeps everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'three-systems-e2e-'));

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  readonly output: () => string;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0' };
  delete env.NODE_OPTIONS;
  // The tools must not pick up the test run's own services.
  for (const k of Object.keys(env)) if (k.endsWith('_TABLE') || k.startsWith('AWS_ENDPOINT_URL') || k === 'LOCAL_MODE') delete env[k];
  return env;
}

async function start(): Promise<Running> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const m = /Local API ready at (http:\/\/\S+)/.exec(output);
    if (m?.[1]) return { child, url: m[1], exited, output: () => output };
    if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`npm start did not become ready: ${output}`);
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGINT');
  return r.exited;
}

function tool(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `local/cli/${script}.ts`, ...args], { cwd: REPO_ROOT, env: { ...childEnv(), ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const getJson = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
};

async function all<T>(base: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { body: { items: T[]; nextCursor: string | null } } = await getJson(`${base}${path}${sep}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

const header = '项目编码,事项名称,事项类型,实施主体,承办机构,设定依据,办理时限,流程图,服务指南,救济渠道';
const csvRow = (code: string, name: string, type = '处罚') =>
  `${code},${name},${type},宿迁市市场监督管理局,执法稽查局,《产品质量法》第四十九条,九十日,立案→调查→决定,咨询电话 0527-80000000,行政复议或行政诉讼`;

let running: Running | undefined;

beforeAll(async () => {
  running = await start();
}, 180_000);

afterAll(async () => {
  if (running && running.child.exitCode === null) await stop(running);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('operator walkthrough', () => {
  it('a fresh start seeds the demo bureau, visible through the public API', async () => {
    const base = running?.url ?? '';
    expect((await getJson<{ status: string }>(`${base}/health`)).body).toEqual({ status: 'ok' });
    const agencies = await all<{ level: string }>(base, '/public/agencies');
    expect(agencies.map((a) => a.level).sort()).toEqual(['CITY', 'COUNTY', 'COUNTY']);
    const officers = await all<{ certificateStatus: string }>(base, '/public/officers');
    expect(officers.length).toBeGreaterThanOrEqual(25);
    expect(new Set(officers.map((o) => o.certificateStatus))).toEqual(new Set(['VALID', 'SUSPENDED', 'REVOKED', 'EXPIRED']));
    const powers = await all<{ content: { type: string } }>(base, '/public/powers');
    expect(powers.length).toBeGreaterThanOrEqual(35);
    expect(new Set(powers.map((p) => p.content.type))).toEqual(new Set(['LICENSING', 'PENALTY', 'COERCION', 'INSPECTION', 'OTHER']));
    expect((await all(base, '/public/inspection-items')).length).toBeGreaterThanOrEqual(8);
  });

  it('import:powers beside the running instance: a bad file is refused row by row, a good one is imported', async () => {
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, [header, csvRow('E2E-1', '正常事项'), csvRow('E2E-2', '类型错误', '罚款')].join('\n'));
    const refused = await tool('import-powers', [bad]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('IMPORT_INVALID');
    expect(refused.out).toContain('row 3');
    expect((await getJson(`${running?.url}/public/powers/E2E-1`)).status).toBe(404);

    const good = join(dataDir, 'good.csv');
    writeFileSync(good, [header, csvRow('E2E-1', '正常事项'), csvRow('E2E-2', '另一事项', '其他')].join('\n'));
    const imported = await tool('import-powers', [good]);
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('running local instance');
    expect(imported.out).toMatch(/写入 \/ writing 2\/2 \(100%\)/);
    expect((await getJson<{ current: { content: { name: string } } }>(`${running?.url}/public/powers/E2E-2`)).body.current.content.name).toBe('另一事项');
  });

  it('audit:verify finds the chain intact; usage errors exit 2', async () => {
    const verified = await tool('audit-verify', []);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toMatch(/chain intact: \d+/);
    expect((await tool('import-powers', [])).code).toBe(2);
  });

  it('device: the demo body camera uploads a file in parts with its printed credentials, and it is sealed', async () => {
    const base = running?.url ?? '';
    const id = /DEVICE_CLIENT_ID=(\S+)/.exec(running?.output() ?? '')?.[1];
    const secret = /DEVICE_CLIENT_SECRET=(\S+)/.exec(running?.output() ?? '')?.[1];
    expect(id && secret, running?.output()).toBeTruthy();
    const token = ((await (await fetch(`${base}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'e2e', name: '运维', groups: ['admin'] }) })).json()) as { token: string }).token;
    const authed = async <T>(path: string): Promise<T> => (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    const camera = (await authed<{ items: { serial: string; assignedOfficerId: string }[] }>('/devices?agencyId=sq-city')).items.find((d) => d.serial === 'DEMO-CAM-0001');
    const caseId = (await authed<{ items: { id: string }[] }>('/cases?agencyId=sq-city')).items[0]?.id ?? '';
    const file = join(dataDir, '现场录像.mp4');
    writeFileSync(file, Buffer.alloc(20 * 1024 * 1024, 7));
    const env = { DEVICE_CLIENT_ID: id, DEVICE_CLIENT_SECRET: secret, HOME: dataDir };
    const args = ['upload', '--case', caseId, '--collector', camera?.assignedOfficerId ?? '', '--place', '宿城区示例路9号', '--captured-at', new Date(Date.now() - 60_000).toISOString()];

    const usage = await tool('device', [...args, file], env);
    expect([usage.code, usage.out]).toEqual([2, expect.stringContaining('--proves')]);
    const uploaded = await tool('device', [...args, '--proves', '现场检查全过程', file], env);
    expect(uploaded.code, uploaded.out).toBe(0);
    expect(uploaded.out).toContain('2 个分片');
    expect(uploaded.out).toMatch(/已封存 \/ sealed/);
    const evidence = await authed<{ items: { fileName: string; mediaType: string; status: string }[] }>(`/cases/${caseId}/evidence`);
    expect(evidence.items).toContainEqual(expect.objectContaining({ fileName: '现场录像.mp4', mediaType: 'VIDEO', status: 'SEALED' }));
    const wrong = await tool('device', [...args, '--proves', '现场检查全过程', file], { ...env, DEVICE_CLIENT_SECRET: 'wrong' });
    expect([wrong.code, wrong.out]).toEqual([1, expect.stringContaining('invalid_client')]);
  });

  it('job: the daily check and the annual report run from the command line, their alerts land in the inbox', async () => {
    const base = running?.url ?? '';
    const check = await tool('job', ['deadline-check', '--date', '2026-12-02']);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain('running local instance');
    expect(check.out).toContain('"HOLIDAY_DATA": 1');
    // A day in a year without holiday data is checked too: deadlines there are provisional, never refused.
    const noData = await tool('job', ['deadline-check', '--date', '2027-01-04']);
    expect([noData.code, noData.out]).toEqual([0, expect.stringContaining('"recounted"')]);

    const early = await tool('job', ['annual-report', '--year', '2026', '--stage', 'publish', '--date', '2027-01-05']);
    expect([early.code, early.out]).toEqual([1, expect.stringContaining('尚未生成草稿')]);
    expect((await tool('job', ['annual-report', '--year', '2026', '--stage', 'draft'])).code).toBe(1); // 2026 has not ended yet
    for (const [stage, date] of [['draft', '2027-01-05'], ['deliver', '2027-01-15'], ['publish', '2027-01-31']]) {
      const ran = await tool('job', ['annual-report', '--year', '2026', '--stage', stage!, '--date', date!]);
      expect(ran.code, ran.out).toBe(0);
    }
    const report = await getJson<{ year: number; stage: string; agencies: { agencyName: string }[]; files: { pdf: string } }>(`${base}/public/reports/2026`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ year: 2026, stage: 'PUBLISHED' });
    expect(report.body.agencies.map((a) => a.agencyName)).toContain('宿迁市市场监督管理局');
    expect((await fetch(report.body.files.pdf)).headers.get('content-type')).toBe('application/pdf');

    const inbox = await getJson<{ items: { kind: string; subject: string }[] }>(`${base}/local/inbox`);
    expect(inbox.body.items.map((a) => a.kind)).toEqual(expect.arrayContaining(['deadline-digest', 'report-draft', 'report-delivery']));
    expect(inbox.body.items.some((a) => a.subject.includes('delivered'))).toBe(true);
  });

  it('without a running instance the tools start the services on the data dir; a restart keeps everything', async () => {
    if (!running) throw new Error('not running');
    expect(await stop(running)).toBe(0);
    const file = join(dataDir, 'offline.csv');
    writeFileSync(file, [header, csvRow('E2E-3', '离线导入事项')].join('\n'));
    const imported = await tool('import-powers', [file]);
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('local data dir');

    running = await start();
    for (const code of ['E2E-1', 'E2E-2', 'E2E-3']) expect((await getJson(`${running.url}/public/powers/${code}`)).status).toBe(200);
    expect((await tool('audit-verify', [])).code).toBe(0);
  });
});
