/**
 * The public portal (issue 14): server time per page at 4 in flight, and the bytes a first visit
 * transfers per page. The local system (demo data) and the portal server run in this process, the
 * portal reading the local API over loopback as it reads the API Gateway stage in AWS.
 *
 * Bytes: what a first visit with an empty cache transfers, twice — computed (the page and the stylesheet
 * it links, brotli-compressed as the server sends them to a browser that accepts `br`), and measured in
 * Debian's Chromium (every request the page makes, headers and bodies as transferred; skipped when
 * /usr/bin/chromium is missing).
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { Server } from 'node:http';
import { createPortalServer } from '../local/portal-server.ts';
import { listen, startLocalSystem, type LocalSystem } from '../local/runtime.ts';
import { isAlive } from '../local/lock.ts';
import { dynamoDbJavaProcesses, load, newJavaSince, timedRequest, type RequestResult, type RouteSample } from './latency.ts';

export interface PortalPageBytes {
  readonly page: string;
  readonly status: number;
  readonly htmlBytes: number;
  readonly cssBytes: number;
  readonly totalBytes: number;
  /** Measured in Chromium with an empty cache (headers and bodies as transferred); absent without a browser. */
  readonly browser?: { readonly requests: number; readonly bytes: number; readonly scriptBytes: number };
}

export interface PortalRun {
  readonly concurrency: number;
  readonly measured: readonly RequestResult[];
  readonly bytes: readonly PortalPageBytes[];
  readonly paths: Readonly<Record<string, string>>;
  readonly orphans: readonly number[];
}

/** Status and body size of one GET as a browser that accepts brotli receives it. */
function compressedGet(url: string): Promise<{ status: number; bytes: number; text?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

export async function measurePortal(options: { requests: number; concurrency: number; log?: (line: string) => void }): Promise<PortalRun> {
  const say = options.log ?? (() => undefined);
  const javaBefore = new Set(dynamoDbJavaProcesses().map((p) => p.pid));
  const system: LocalSystem = await startLocalSystem({ seed: true, log: () => undefined });
  let portal: Server | undefined;
  let run: Omit<PortalRun, 'orphans'>;
  try {
    portal = createPortalServer({ apiUrl: system.url, bureauName: '宿迁市市场监督管理局', log: () => undefined });
    const base = `http://127.0.0.1:${await listen(portal, 0, '127.0.0.1')}`;
    // Real parameters from the demo data, never hard-coded.
    const decisions = await json<{ items: { id: string; party: { name: string } }[] }>(`${system.url}/public/decisions?kind=PENALTY&limit=1`);
    const decision = decisions.items[0];
    if (!decision) throw new Error('no published penalty decision: is the demo data seeded?');
    const officers = await json<{ items: { certificateNo?: string }[] }>(`${system.url}/public/officers?limit=5`);
    const certificateNo = officers.items.find((o) => o.certificateNo)?.certificateNo;
    if (!certificateNo) throw new Error('no officer with a certificate: is the demo data seeded?');
    // The demo decisions' year: its annual report, published through the jobs the schedule runs (on
    // next January's dates), gives /reports/{year} real figures and charts.
    const year = Math.max(...(await json<{ items: { decisionDate: string }[] }>(`${system.url}/public/decisions?limit=100`)).items.map((d) => Number(d.decisionDate.slice(0, 4))));
    const { runJob } = await import('../functions/jobs/handler.ts');
    for (const [job, day] of [['annual-report-draft', '05'], ['annual-report-deliver', '15'], ['annual-report-publish', '31']] as const) {
      await runJob({ schedule: job, job, scheduledTime: `${year + 1}-01-${day}T01:00:00Z`, year });
    }
    const samples: RouteSample[] = [
      { route: '/', path: '/' },
      { route: '/decisions?party=…', path: `/decisions?party=${encodeURIComponent(decision.party.name.slice(0, 2))}` },
      { route: '/decisions/{id}', path: `/decisions/${decision.id}` },
      { route: '/verify/{no}', path: `/verify/${encodeURIComponent(certificateNo)}` },
      { route: '/reports/{year}', path: `/reports/${year}` },
    ];
    const bytes: PortalPageBytes[] = [];
    for (const s of samples) {
      const page = await compressedGet(`${base}${s.path}`);
      const html = await (await fetch(`${base}${s.path}`)).text();
      const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
      const cssBytes = css ? (await compressedGet(`${base}${css}`)).bytes : 0;
      bytes.push({ page: s.route, status: page.status, htmlBytes: page.bytes, cssBytes, totalBytes: page.bytes + cssBytes });
    }
    await measureInBrowser(base, samples, bytes, say);
    for (const s of samples) await timedRequest(base, s); // warm-up
    say(`portal: ${options.requests} page requests, ${options.concurrency} at a time`);
    const measured = await load(base, samples, options.requests, options.concurrency);
    run = { concurrency: options.concurrency, measured, bytes, paths: Object.fromEntries(samples.map((s) => [s.route, s.path])) };
  } finally {
    if (portal) await new Promise<void>((done) => portal?.close(() => done()));
    await system.stop();
  }
  const orphans = [...system.childPids.filter(isAlive), ...newJavaSince(javaBefore, system.childPids)];
  return { ...run, orphans };
}

/** Loads each page in a fresh Chromium context (empty cache) and adds what it transferred to `bytes`. */
async function measureInBrowser(base: string, samples: readonly RouteSample[], bytes: PortalPageBytes[], say: (line: string) => void): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    say(`no ${executablePath}: bytes from the browser not measured`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    for (const [i, sample] of samples.entries()) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const finished: Promise<{ bytes: number; script: boolean }>[] = [];
      page.on('requestfinished', (request) => {
        finished.push(request.sizes().then((z) => ({ bytes: z.responseBodySize + z.responseHeadersSize, script: request.resourceType() === 'script' })));
      });
      await page.goto(`${base}${sample.path}`, { waitUntil: 'networkidle' });
      const all = await Promise.all(finished);
      const entry = bytes[i];
      if (entry) bytes[i] = { ...entry, browser: { requests: all.length, bytes: all.reduce((a, r) => a + r.bytes, 0), scriptBytes: all.filter((r) => r.script).reduce((a, r) => a + r.bytes, 0) } };
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
