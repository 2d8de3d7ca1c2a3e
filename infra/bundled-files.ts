/**
 * Files a function's Lambda bundle carries besides its code, and the variables that tell the code where
 * they are. Keyed by function id here, in infra: how a function is packaged is not the manifest's business
 * (shared/manifest.ts says what a function may do), and only infra copies files into bundles.
 *
 * Today the report font, in three functions: `jobs` and `reports` render the annual report's PDF
 * (shared/report/render-pdf.ts; on schedule and on demand) and `cases` the penalty-procedure documents (issue 15, P7), both with the
 * CJK font of shared/report/font.ts (loaded lazily, when a PDF is drawn), which esbuild cannot bundle (a
 * 10.6 MB TrueType file read at run time). ProjectFunction copies each file next to index.mjs after
 * esbuild has run (`lambdaCode`'s local bundling); Lambda unpacks the bundle into LAMBDA_TASK_ROOT. The OFL
 * asks that the licence travel with the font, so it does. No other function carries the font.
 *
 * The variable name and the package path must match the runtime's (`REPORT_FONT_PATH_ENV` and
 * `REPORT_FONT_MODULE` in shared/report/font.ts); test/infra/reports.test.ts pins them.
 */
import { existsSync, statSync } from 'node:fs';
import { functions } from '../shared/manifest.ts';
import type { FunctionId, FunctionSpec } from '../shared/manifest.ts';
import { fromRoot } from './paths.ts';

/** One file copied into a function's bundle. */
export interface BundledFile {
  /** Source, relative to the repository root (like the manifest's `entry`). */
  readonly from: string;
  /** Its name in the bundle, next to index.mjs (a plain file name: no folders). */
  readonly to: string;
}

export interface FunctionBundleExtras {
  readonly files: readonly BundledFile[];
  /** Variables that point the code at the files (absolute paths under LAMBDA_TASK_ROOT). */
  readonly environment: Readonly<Record<string, string>>;
}

/** Where Lambda unpacks a .zip function's code (the `LAMBDA_TASK_ROOT` of the Node.js runtimes). */
export const LAMBDA_TASK_ROOT = '/var/task';

/** `REPORT_FONT_PATH_ENV` in shared/report/font.ts. */
export const REPORT_FONT_PATH_ENV = 'REPORT_FONT_PATH';
/** Noto Sans SC Regular (SIL Open Font License 1.1), from the npm package the runtime resolves it from locally. */
export const REPORT_FONT: BundledFile = {
  from: 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  to: 'NotoSansSC-Regular.ttf',
};
/** The font's licence (the OFL's condition 2: the licence goes with every copy of the font). */
export const REPORT_FONT_LICENCE: BundledFile = {
  from: 'node_modules/@expo-google-fonts/noto-sans-sc/LICENSE_FONT',
  to: 'NotoSansSC-OFL.txt',
};

/** The font, its licence, and the variable that points at the font: what a function that draws PDFs carries. */
const REPORT_FONT_EXTRAS: FunctionBundleExtras = {
  files: [REPORT_FONT, REPORT_FONT_LICENCE],
  environment: { [REPORT_FONT_PATH_ENV]: `${LAMBDA_TASK_ROOT}/${REPORT_FONT.to}` },
};

export const BUNDLE_EXTRAS: Readonly<Partial<Record<FunctionId, FunctionBundleExtras>>> = {
  // The annual report's PDF (issue 6).
  jobs: REPORT_FONT_EXTRAS,
  // The penalty-procedure documents' PDFs (issue 15).
  cases: REPORT_FONT_EXTRAS,
  // The annual report's PDF when the legal division drafts it from the console (issue 16).
  reports: REPORT_FONT_EXTRAS,
};

/** Names esbuild writes into the bundle; an extra file must not overwrite them. */
const BUNDLE_OUTPUTS = ['index.mjs', 'index.mjs.map', 'index.js', 'index.js.map'];

/**
 * Refuses extras that could not be bundled as written: a function the manifest does not have, a source
 * file that is missing (say `npm ci` was not run: better a synth error naming the file than a failed copy
 * in the middle of bundling), a target that is not a plain file name or would overwrite the code, a file
 * listed twice, or a variable that does not point into LAMBDA_TASK_ROOT at one of the function's files.
 */
export function checkBundleExtras(extras: Readonly<Partial<Record<FunctionId, FunctionBundleExtras>>> = BUNDLE_EXTRAS, functionSpecs: readonly FunctionSpec[] = functions): void {
  for (const [id, entry] of Object.entries(extras) as [FunctionId, FunctionBundleExtras][]) {
    if (!functionSpecs.some((f) => f.id === id)) throw new Error(`Bundle extras name function ${JSON.stringify(id)}, which shared/manifest.ts does not have`);
    const targets = new Set<string>();
    for (const file of entry.files) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file.to) || BUNDLE_OUTPUTS.includes(file.to)) {
        throw new Error(`Bundle extra ${JSON.stringify(file.to)} of ${id} must be a plain file name that is not the code's`);
      }
      if (targets.has(file.to)) throw new Error(`Bundle extra ${file.to} of ${id} is listed twice`);
      targets.add(file.to);
      const source = fromRoot(file.from);
      if (!existsSync(source) || !statSync(source).isFile()) {
        throw new Error(`Bundle extra of ${id}: ${file.from} is not a file (resolved to ${source}); run npm ci`);
      }
    }
    for (const [name, value] of Object.entries(entry.environment)) {
      const file = value.startsWith(`${LAMBDA_TASK_ROOT}/`) ? value.slice(LAMBDA_TASK_ROOT.length + 1) : undefined;
      if (file === undefined || !targets.has(file)) {
        throw new Error(`Bundle extras of ${id}: ${name}=${value} does not name one of its files under ${LAMBDA_TASK_ROOT}`);
      }
    }
  }
}
