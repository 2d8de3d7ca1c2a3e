/**
 * The staff console (issue 16): JavaScript bytes per section, and time to interactive of its pages (the
 * case page, the review page, 我的案件) in
 * Debian's Chromium, on first load (a fresh browser context: empty cache) and on repeat load (the same
 * context again: the hashed assets cached), plain and with the CPU slowed 4× as on a cheap phone.
 *
 * "Interactive" here: the page's data has arrived and its heading, which takes the focus when a page is
 * shown, is on screen — `performance.now()` at that moment, i.e. milliseconds since the navigation
 * started. The local system (demo data), the local API and the portal server run in this process.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { buildConsole, JS_BUDGET_GZIP_BYTES } from '../console/build.ts';
import { SESSION_KEY } from '../console/src/lib/session.ts';
import { createPortalServer } from '../local/portal-server.ts';
import { listen, startLocalSystem } from '../local/runtime.ts';
import { demoFlows } from '../local/demo-flows.ts';
import { isAlive } from '../local/lock.ts';
import { dynamoDbJavaProcesses, newJavaSince } from './latency.ts';
import { percentile } from './stats.ts';

export interface SectionBytes {
  /** The sections (console/src/sections/<name>.tsx) a chunk carries, `shell` (the entry: app, router, session) or `shared` (chunks of no section: Preact, the API client). */
  readonly section: string;
  readonly files: number;
  readonly gzipBytes: number;
}

export interface PageTiming {
  readonly page: string;
  readonly path: string;
  readonly cpuSlowdown: number;
  /** ms from navigation start, one per run. */
  readonly first: readonly number[];
  readonly repeat: readonly number[];
}

export interface ConsoleRun {
  readonly javascriptGzipBytes: number;
  readonly budgetGzipBytes: number;
  readonly sections: readonly SectionBytes[];
  readonly pages: readonly PageTiming[];
  readonly skipped?: string;
  readonly orphans: readonly number[];
}

/** Groups the build's JavaScript by the section whose source it carries. */
export async function consoleBytes(): Promise<{ total: number; sections: SectionBytes[] }> {
  const built = await buildConsole();
  const groups = new Map<string, { files: number; gzipBytes: number }>();
  for (const asset of built.assets.values()) {
    if (!asset.path.endsWith('.js')) continue;
    const sections = [...new Set(asset.inputs.map((i) => /console\/src\/sections\/([\w-]+)\.tsx$/.exec(i)?.[1]).filter((s): s is string => s !== undefined))];
    // A chunk of one page's sections (the case page with its act form) is that page's; one no section claims is shared (Preact, the client).
    const name = asset.path === built.script ? 'shell' : sections.length > 0 ? sections.join('+') : 'shared';
    const g = groups.get(name) ?? { files: 0, gzipBytes: 0 };
    groups.set(name, { files: g.files + 1, gzipBytes: g.gzipBytes + asset.gzipBytes });
  }
  return {
    total: built.javascriptGzipBytes,
    sections: [...groups].map(([section, g]) => ({ section, ...g })).sort((a, b) => b.gzipBytes - a.gzipBytes),
  };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

interface Person {
  sub: string;
  name: string;
  groups: string[];
  agencyId: string;
  officerId?: string;
  role: string;
}

export async function measureConsole(options: { runs: number; log?: (line: string) => void }): Promise<ConsoleRun> {
  const say = options.log ?? (() => undefined);
  const { total, sections } = await consoleBytes();
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    return { javascriptGzipBytes: total, budgetGzipBytes: JS_BUDGET_GZIP_BYTES, sections, pages: [], skipped: `no browser at ${executablePath}`, orphans: [] };
  }
  const javaBefore = new Set(dynamoDbJavaProcesses().map((p) => p.pid));
  const system = await startLocalSystem({ seed: true, log: () => undefined });
  let portal: Server | undefined;
  const pages: PageTiming[] = [];
  try {
    portal = createPortalServer({ apiUrl: system.url, bureauName: '宿迁市市场监督管理局', log: () => undefined });
    const base = `http://127.0.0.1:${await listen(portal, 0, '127.0.0.1')}`;
    // A demo officer with cases of their own, and one of those cases (never hard-coded).
    const people = await json<{ items: Person[] }>(`${system.url}/local/people`);
    const officer = people.items.find((p) => p.role === 'officer' && p.officerId);
    if (!officer) throw new Error('no demo officer: is the demo data seeded?');
    const { token } = await json<{ token: string }>(`${system.url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: officer.sub, name: officer.name, groups: officer.groups, agencyId: officer.agencyId, officerId: officer.officerId }),
    });
    const mine = await json<{ items: { id: string; caseNo: string }[] }>(`${system.url}/cases?handler=me&limit=1`, { headers: { authorization: `Bearer ${token}` } });
    const kase = mine.items[0];
    if (!kase) throw new Error(`demo officer ${officer.name} handles no case`);
    // A review waiting for its reviewer's opinion: the demo's 告知 case moved on as the handling
    // division would (local/demo-flows.ts); its reviewer opens the review page.
    const flows = demoFlows(system.url);
    const city = people.items.find((p) => p.role === 'officer' && p.officerId && p.agencyId === 'sq-city') ?? officer;
    const { review } = await flows.reviewAwaitingOpinion(city.agencyId, await flows.token(city));
    const reviewer = await flows.reviewerToken(review, city.agencyId);
    const targets = [
      { page: 'case page', path: `/console/cases/${kase.id}`, heading: `案件 ${kase.caseNo}`, token, id: kase.id },
      { page: 'review page', path: `/console/reviews/${review.id}`, heading: `法制审核 ${review.caseNo}`, token: reviewer, id: review.id },
      { page: 'my cases', path: '/console/', heading: '我的案件', token, id: '' },
    ];

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      for (const cpuSlowdown of [1, 4]) {
        for (const t of targets) {
          const first: number[] = [];
          const repeat: number[] = [];
          say(`console: ${t.page}, CPU ×${cpuSlowdown}, ${options.runs} runs`);
          for (let run = 0; run < options.runs; run++) {
            const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
            // Signed in, as the sign-in page leaves it: the session in sessionStorage.
            await context.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [SESSION_KEY, t.token] as const);
            const page = await context.newPage();
            if (cpuSlowdown > 1) {
              const cdp = await context.newCDPSession(page);
              await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
            }
            const timeToHeading = async (): Promise<number> => {
              await page.goto(`${base}${t.path}`, { waitUntil: 'commit' });
              await page.getByRole('heading', { level: 1, name: t.heading }).waitFor({ state: 'visible', timeout: 30_000 });
              return page.evaluate(() => performance.now());
            };
            first.push(await timeToHeading());
            repeat.push(await timeToHeading());
            await context.close();
          }
          pages.push({ page: t.page, path: t.id ? t.path.replace(t.id, '{id}') : t.path, cpuSlowdown, first, repeat });
        }
      }
    } finally {
      await browser.close();
    }
  } finally {
    if (portal) await new Promise<void>((done) => portal?.close(() => done()));
    await system.stop();
  }
  const orphans = [...system.childPids.filter(isAlive), ...newJavaSince(javaBefore, system.childPids)];
  return { javascriptGzipBytes: total, budgetGzipBytes: JS_BUDGET_GZIP_BYTES, sections, pages, orphans };
}

/** The tables `npm run bench -- --only console` prints. */
export function consoleTables(run: ConsoleRun): string[] {
  const kb = (b: number) => (b / 1024).toFixed(1);
  const lines = [
    `JavaScript, gzip: ${kb(run.javascriptGzipBytes)} KB for the whole console (budget ${kb(run.budgetGzipBytes)} KB), loaded per section:`,
    '',
    'section                  files  gzip KB',
    '-----------------------  -----  -------',
    ...run.sections.map((s) => `${s.section.padEnd(23)}  ${String(s.files).padStart(5)}  ${kb(s.gzipBytes).padStart(7)}`),
    '',
  ];
  if (run.skipped) return [...lines, `time to interactive: skipped (${run.skipped})`];
  lines.push(
    'Time to interactive in Chromium (ms from navigation start until the page\'s data is shown), 1366×900, local system:',
    '',
    'page          CPU  first p50  first p90  repeat p50  repeat p90',
    '------------  ---  ---------  ---------  ----------  ----------',
    ...run.pages.map(
      (p) =>
        `${p.page.padEnd(12)}  ×${String(p.cpuSlowdown).padEnd(2)}  ${percentile(p.first, 50).toFixed(0).padStart(9)}  ${percentile(p.first, 90).toFixed(0).padStart(9)}  ${percentile(p.repeat, 50).toFixed(0).padStart(10)}  ${percentile(p.repeat, 90).toFixed(0).padStart(10)}`,
    ),
  );
  return lines;
}
