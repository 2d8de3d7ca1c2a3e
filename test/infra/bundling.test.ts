/**
 * What a cold start loads (issue 13), measured on esbuild's metafile with infra/bundling.ts's options:
 * S3's XML protocol stays out of the init chunks of the functions that only reach S3 through
 * `await import()` (reviews → services/decisions.ts → procedure.ts → documents → @aws-sdk/client-s3).
 * It used to land there through the barrel `@aws-sdk/core/protocols`, which the DynamoDB client imports
 * and which re-exports the XML protocol too (see sdkBarrelImports in infra/bundling.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_FILE, lambdaBuildOptions } from '../../infra/bundling.ts';
import { repoRoot } from '../../infra/paths.ts';
import { functions, type FunctionId } from '../../shared/manifest.ts';

/** Inputs of S3's REST-XML protocol: @aws-sdk/core's XML serde and protocol, the XML parser/builder, the HTTP-binding base class. */
const XML_PROTOCOL = /node_modules\/(@aws-sdk\/core\/dist-es\/submodules\/protocols\/xml\/|@aws-sdk\/xml-builder\/|@smithy\/core\/dist-es\/submodules\/protocols\/HttpBindingProtocol\.js)/;
/** The functions that use S3 at init (their handlers import the evidence bucket statically). */
const STATIC_S3: ReadonlySet<FunctionId> = new Set(['evidence', 'evidence-seal']);

const out = mkdtempSync(path.join(tmpdir(), 'bundling-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Inputs (with bytes in the output) of index.mjs and the chunks it imports statically, transitively; and of the other chunks. */
async function inputsByLoad(id: FunctionId): Promise<{ init: string[]; lazy: string[] }> {
  const spec = functions.find((f) => f.id === id);
  if (!spec) throw new Error(`no function ${id}`);
  const outdir = path.join(out, id);
  const result = await build({ ...lambdaBuildOptions(spec.entry, outdir), metafile: true, logLevel: 'error' });
  const metafile: Metafile = result.metafile as Metafile;
  const entry = path.relative(repoRoot, path.join(outdir, ENTRY_FILE));
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const imp of metafile.outputs[queue.pop() as string]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external && !seen.has(imp.path)) {
        seen.add(imp.path);
        queue.push(imp.path);
      }
    }
  }
  const inputsOf = (keys: string[]): string[] =>
    keys.flatMap((k) => Object.entries(metafile.outputs[k]?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([input]) => input));
  const jsOutputs = Object.keys(metafile.outputs).filter((k) => k.endsWith('.mjs'));
  return { init: inputsOf([...seen]), lazy: inputsOf(jsOutputs.filter((k) => !seen.has(k))) };
}

describe('code loaded at init (issue 13)', () => {
  it.each(functions.filter((f) => !STATIC_S3.has(f.id)).map((f) => [f.id] as const))(
    '%s: a cold start loads none of S3\'s XML protocol',
    async (id) => {
      const { init } = await inputsByLoad(id);
      expect(init.length).toBeGreaterThan(0);
      expect(init.filter((i) => XML_PROTOCOL.test(i))).toEqual([]);
    },
    60_000,
  );

  it('reviews: the XML protocol is in its lazy chunks (S3, reached through `await import()`), where the check above would see it', async () => {
    const { init, lazy } = await inputsByLoad('reviews');
    expect(lazy.filter((i) => XML_PROTOCOL.test(i)).length).toBeGreaterThan(3);
    // The DynamoDB client's own protocol is loaded at init, from its module rather than the barrel.
    expect(init).toContain('node_modules/@aws-sdk/core/dist-es/submodules/protocols/json/AwsJson1_0Protocol.js');
    expect(init).not.toContain('node_modules/@aws-sdk/core/dist-es/submodules/protocols/index.js');
    // The one module of @aws-sdk/core that declares side effects is still bundled (the barrel keeps importing it).
    expect([...init, ...lazy]).toContain('node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/aws.js');
  }, 60_000);

  it('evidence uses S3 at init, and the check finds its XML protocol there', async () => {
    const { init } = await inputsByLoad('evidence');
    expect(init.filter((i) => XML_PROTOCOL.test(i)).length).toBeGreaterThan(3);
  }, 60_000);
});
