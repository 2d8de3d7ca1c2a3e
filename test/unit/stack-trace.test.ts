/**
 * Unexpected errors are logged with their stack in the TypeScript sources, although the deployed
 * bundles are minified and start without --enable-source-maps (infra/bundling.ts): the frames are
 * mapped from the .map files next to the bundle when the error is logged.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../infra/bundling.ts';
import { sourceStack } from '../../shared/http/stack-trace.ts';

let dir: string;
let raw: string;
let mapped: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-trace-'));
  await mkdir(join(dir, 'shared'), { recursive: true });
  // Line 4 throws; the lazily imported module keeps its own chunk and map, as deployed chunks do.
  await writeFile(join(dir, 'shared', 'rules.ts'), ['export function checkFine(amount: number): number {', '  const limit = 100;', '  if (amount > limit) {', "    throw new RangeError('over the limit');", '  }', '  return amount;', '}', ''].join('\n'));
  const stackTrace = fileURLToPath(new URL('../../shared/http/stack-trace.ts', import.meta.url));
  await writeFile(
    join(dir, 'shared', 'entry.ts'),
    [
      `import { sourceStack } from ${JSON.stringify(stackTrace)};`,
      'export const handler = async (n: number) => {',
      "  try { return (await import('./rules.ts')).checkFine(n); } catch (e) { return { raw: (e as Error).stack, mapped: sourceStack(e) }; }",
      '};',
      '',
    ].join('\n'),
  );
  await build({ ...lambdaBuildOptions('shared/entry.ts', join(dir, 'out'), dir), alias: {}, logLevel: 'silent' });
  // A plain Node process, as on Lambda: no --enable-source-maps (the test runner maps stacks itself).
  const probe = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'out', 'index.mjs')).href)}); process.stdout.write(JSON.stringify(await m.handler(500)));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], { env: { PATH: process.env.PATH ?? '' } });
  ({ raw, mapped } = JSON.parse(stdout) as { raw: string; mapped: string });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sourceStack', () => {
  it('names the TypeScript file, line and column of a minified, code-split bundle', () => {
    // The raw stack points into the minified chunk.
    expect(raw).toMatch(/chunks\/[^:]+\.mjs:\d+:\d+/);
    expect(mapped.split('\n')[0]).toBe('RangeError: over the limit');
    expect(mapped).toMatch(/at \S+ \(shared\/rules\.ts:4:11\)/);
    expect(mapped).toMatch(/at \S+ \(shared\/entry\.ts:3:\d+\)/);
    expect(mapped).not.toMatch(/\.mjs:\d+:\d+/);
  });

  it('leaves frames without a map as they are, and gives nothing for a non-error', () => {
    const e = new Error('plain');
    e.stack = 'Error: plain\n    at run (file:///nowhere/index.mjs:1:20)\n    at node:internal/process/task_queues:105:5';
    // (Under the test runner Node maps stacks itself, so it is returned as it is either way.)
    expect(sourceStack(e)).toBe(e.stack);
    expect(sourceStack('a string')).toBeUndefined();
  });
});
