/**
 * `npm run openapi`: writes the internal API's OpenAPI document (shared/openapi/internal.json, served by
 * GET /openapi.json) and the console's client types generated from it (console/src/api/schema.d.ts),
 * both from the live route tables (issue 16). Run after changing a route; the unit test
 * test/unit/openapi-internal.test.ts fails until the committed files are regenerated.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { CONSOLE_TYPES, INTERNAL_JSON, buildConsoleTypes, buildInternalDocument, serialize } from '../../shared/openapi/internal.ts';

const doc = await buildInternalDocument();
const outputs: [string, string][] = [
  [INTERNAL_JSON, serialize(doc)],
  [CONSOLE_TYPES, await buildConsoleTypes(doc)],
];
for (const [file, text] of outputs) {
  let before: string | undefined;
  try {
    before = readFileSync(file, 'utf8');
  } catch {
    before = undefined;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`${relative(process.cwd(), file)}: ${before === text ? 'unchanged' : 'written'} (${Buffer.byteLength(text)} bytes)`);
}
console.log(`${Object.keys(doc.paths as object).length} paths`);
