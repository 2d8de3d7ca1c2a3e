/**
 * The one CJK font of the report PDFs: Noto Sans SC Regular (思源黑体 as released by Google, version
 * 2.004, SIL Open Font License 1.1), a TrueType file shipped by the npm package
 * `@expo-google-fonts/noto-sans-sc`. pdfkit embeds only the glyphs a report uses (a subset of a few
 * kilobytes) with a ToUnicode map, so the text can be searched and copied.
 *
 * Where the file is found, in this order:
 * 1. `REPORT_FONT_PATH`, an absolute path, when set;
 * 2. otherwise the file inside the npm package, resolved from this module (works under tsx, vitest
 *    and `npm start`, where node_modules is present).
 *
 * Bundled for Lambda (esbuild, no node_modules): copy the one file
 *   node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf  (10.6 MB)
 * next to the bundle, with the package's LICENSE_FONT (the OFL asks that the licence travel with the
 * font), and point REPORT_FONT_PATH at it, e.g. in the NodejsFunction props:
 *   bundling.commandHooks = {
 *     beforeBundling: () => [], beforeInstall: () => [],
 *     afterBundling: (inputDir, outputDir) => [
 *       `cp ${inputDir}/node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf ${outputDir}/NotoSansSC-Regular.ttf`,
 *       `cp ${inputDir}/node_modules/@expo-google-fonts/noto-sans-sc/LICENSE_FONT ${outputDir}/NotoSansSC-OFL.txt`],
 *   }
 *   environment: { REPORT_FONT_PATH: '/var/task/NotoSansSC-Regular.ttf' }  // /var/task: the code's folder on Lambda
 * The bundle must be ESM (as the project's Lambda construct builds it): pdfkit's ESM build reads
 * import.meta.url when loaded. The font adds about 6.3 MB to the zipped asset (10.6 MB unzipped); the
 * renderers' code about 1 MB minified, 0.3 MB zipped (fontkit's WOFF2 decoder, brotli, is half of it). A missing
 * file fails the first render with ReportFontMissingError, which names REPORT_FONT_PATH.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const REPORT_FONT_PATH_ENV = 'REPORT_FONT_PATH';
/** The file inside the npm package (a path that the package's missing `exports` map leaves open). */
export const REPORT_FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

export class ReportFontMissingError extends Error {
  constructor(detail: string) {
    super(
      `The report font (Noto Sans SC) was not found: ${detail}. Set ${REPORT_FONT_PATH_ENV} to the absolute path of ` +
        `NotoSansSC_400Regular.ttf from ${REPORT_FONT_MODULE.split('/400Regular')[0]}, copied next to the bundle.`,
    );
    this.name = 'ReportFontMissingError';
  }
}

let resolved: string | undefined;

/** The absolute path of the report font; resolved once per process and checked to exist. */
export function reportFontPath(): string {
  if (resolved) return resolved;
  const fromEnv = process.env[REPORT_FONT_PATH_ENV];
  let path: string;
  if (fromEnv) {
    path = fromEnv;
  } else {
    try {
      path = createRequire(import.meta.url).resolve(REPORT_FONT_MODULE);
    } catch (error: unknown) {
      throw new ReportFontMissingError(`${REPORT_FONT_MODULE} did not resolve (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    }
  }
  if (!existsSync(path)) throw new ReportFontMissingError(`no file at ${path}`);
  resolved = path;
  return path;
}
