/**
 * zod with its zh-CN messages: every validation error a user sees is in Chinese.
 * Import as `import * as z from './z.ts'`, not from 'zod', so the locale is always configured first.
 * Re-exporting the module's names (rather than zod's `z` object, which carries all 60-odd locales)
 * lets the bundler drop what is not used: about 250 KB per function.
 */
import { config } from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';

// The message tables are built on the first error, not at every cold start.
let zh: ReturnType<typeof zhCN>['localeError'] | undefined;
config({ localeError: (issue) => (zh ??= zhCN().localeError)(issue) });

export * from 'zod';
