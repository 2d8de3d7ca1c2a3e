/**
 * Real-browser tests of the public portal (issue 14 point 5): `npm start` on a temporary data dir with
 * PORT and PORTAL_PORT set (started as test/e2e/operator.test.ts starts it: the `npm start` script's own
 * command, so SIGINT reaches local/start.ts directly), Debian's chromium through playwright-core (never a
 * browser download), axe-core injected into the page, and screenshots in the git-ignored
 * `.screenshots/portal/`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

export interface RunningPortal {
  /** The local API, e.g. http://localhost:40123 (no trailing slash). */
  readonly apiUrl: string;
  /** The portal's origin, e.g. http://localhost:40124 (no trailing slash). */
  readonly portalUrl: string;
  readonly output: () => string;
  /** Runs a command-line tool (`local/cli/<name>.ts`) against this instance, as `npm run <name>` would (with `env` added). */
  readonly cli: (name: string, args: readonly string[], env?: Readonly<Record<string, string>>) => { status: number | null; output: string };
  /** SIGINT, wait for the exit, remove the data dir. */
  readonly stop: () => Promise<void>;
}

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function childEnv(dataDir: string, port: number, portalPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), PORTAL_PORT: String(portalPort) };
  delete env.NODE_OPTIONS;
  // Not the test run's own services.
  for (const k of Object.keys(env)) if (k.endsWith('_TABLE') || k.startsWith('AWS_ENDPOINT_URL') || k === 'LOCAL_MODE' || k === 'PORTAL_URL') delete env[k];
  return env;
}

export async function startPortal(): Promise<RunningPortal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'three-systems-portal-e2e-'));
  const port = await freePort();
  let portalPort = await freePort();
  while (portalPort === port) portalPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: childEnv(dataDir, port, portalPort),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const api = /Local API ready at (http:\/\/\S+)/.exec(output)?.[1];
    const portal = /public portal:\s+(http:\/\/\S+)/.exec(output)?.[1];
    if (api && portal) {
      const cli = (name: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): { status: number | null; output: string } => {
        const run = spawnSync(process.execPath, ['--import', 'tsx', `local/cli/${name}.ts`, ...args], { cwd: REPO_ROOT, env: { ...childEnv(dataDir, port, portalPort), ...env }, encoding: 'utf8', timeout: 120_000 });
        return { status: run.status, output: `${run.stdout}${run.stderr}` };
      };
      return { apiUrl: api.replace(/\/$/, ''), portalUrl: portal.replace(/\/$/, ''), output: () => output, cli, stop };
    }
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`npm start exited: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
  throw new Error(`npm start did not print the portal's URL: ${output}`);
}

/** Debian's chromium (installed by apt-get; .ci/run does it when missing). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly html: string }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeSeriousOrCritical(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  // A string, so the test code needs no DOM types; axe is the global the script tag defined.
  const result = (await page.evaluate('axe.run()')) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation, for an assertion message a person can act on. */
export const describeViolations = (violations: readonly AxeViolation[]): string =>
  violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.html).join(' | ')}`).join('\n');

export const SCREENSHOT_DIR = join(REPO_ROOT, '.screenshots', 'portal');

/** The whole page as `.screenshots/portal/<name>-<width>.png`; returns the file's path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
