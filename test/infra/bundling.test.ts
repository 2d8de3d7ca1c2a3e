/**
 * What a cold start loads (issue 13), measured on esbuild's metafile with infra/bundling.ts's options:
 * no function loads any of the AWS SDK at init. DynamoDB goes through the project's own client
 * (shared/aws/dynamodb.ts); S3, KMS and SNS are reached through `await import()` by the code that calls
 * them (reviews → services/decisions.ts → procedure.ts → documents → @aws-sdk/client-s3, for instance).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { ENTRY_FILE, lambdaBuildOptions } from '../../infra/bundling.ts';
import { dummyLambdaEnvironment } from '../../bench/import-time.ts';
import { repoRoot } from '../../infra/paths.ts';
import { functions, type FunctionId } from '../../shared/manifest.ts';

/** Inputs of S3's REST-XML protocol: @aws-sdk/core's XML serde and protocol, the XML parser/builder, the HTTP-binding base class. */
const XML_PROTOCOL = /node_modules\/(@aws-sdk\/core\/dist-es\/submodules\/protocols\/xml\/|@aws-sdk\/xml-builder\/|@smithy\/core\/dist-es\/submodules\/protocols\/HttpBindingProtocol\.js)/;
/** Any AWS SDK package: clients, their shared runtime (@aws-sdk/core, @smithy/*), lib-dynamodb. */
const AWS_SDK = /node_modules\/(@aws-sdk|@smithy)\//;

const out = mkdtempSync(path.join(tmpdir(), 'bundling-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Node's internal modules a cold start must not load: undici (node:http's facade), fs streams (node:fs's), WebCrypto (node:crypto's). */
const COSTLY_INTERNALS = /internal\/deps\/undici|internal\/fs\/streams|internal\/crypto\/webcrypto/;

/** The internal modules Node has loaded after importing `file` in a fresh process, as Lambda would at init. */
function internalsLoadedBy(file: string): string[] {
  const probe = path.join(out, 'probe.mjs');
  writeFileSync(probe, 'await import(process.argv[2]);\nprocess.stdout.write(JSON.stringify(process.moduleLoadList));\n');
  return JSON.parse(execFileSync(process.execPath, [probe, pathToFileURL(file).href], { env: dummyLambdaEnvironment(), encoding: 'utf8' })) as string[];
}

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
  it.each(functions.map((f) => [f.id] as const))(
    '%s: a cold start loads no AWS SDK (DynamoDB through shared/aws/dynamodb.ts; S3, KMS, SNS on first use) and none of Node\'s costly internals',
    async (id) => {
      const { init } = await inputsByLoad(id);
      expect(init).toContain('shared/aws/dynamodb.ts');
      expect(init.filter((i) => AWS_SDK.test(i))).toEqual([]);
      // Built-ins come through require (nodeBuiltinsAsRequire): importing the asset loads none of the costly internals.
      expect(internalsLoadedBy(path.join(out, id, ENTRY_FILE)).filter((m) => COSTLY_INTERNALS.test(m))).toEqual([]);
    },
    60_000,
  );

  it('the probe sees what an ESM import of node:http, node:fs and node:crypto loads', () => {
    const file = path.join(out, 'esm-builtins.mjs');
    writeFileSync(file, "import 'node:http';\nimport 'node:fs';\nimport 'node:crypto';\n");
    expect(internalsLoadedBy(file).filter((m) => COSTLY_INTERNALS.test(m)).length).toBeGreaterThanOrEqual(3);
  });

  it('the check sees the SDK where it is: S3 with its XML protocol in reviews\' lazy chunks', async () => {
    const { lazy } = await inputsByLoad('reviews');
    expect(lazy.filter((i) => XML_PROTOCOL.test(i)).length).toBeGreaterThan(3);
    expect(lazy.some((i) => i.startsWith('node_modules/@aws-sdk/client-s3/'))).toBe(true);
  }, 60_000);

  it('evidence and evidence-seal reach S3 and KMS through lazy chunks, loaded by the routes and events that use them', async () => {
    for (const id of ['evidence', 'evidence-seal'] as const) {
      const { lazy } = await inputsByLoad(id);
      expect(lazy.some((i) => i.startsWith('node_modules/@aws-sdk/client-s3/'))).toBe(true);
      expect(lazy.some((i) => i.startsWith('node_modules/@aws-sdk/client-kms/'))).toBe(true);
      expect(lazy).toContain('shared/aws/evidence-bucket.ts');
    }
  }, 60_000);
});
