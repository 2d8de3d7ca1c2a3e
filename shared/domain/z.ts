/**
 * zod with its zh-CN messages: every validation error a user sees is in Chinese.
 * Import `z` from here, not from 'zod', so the locale is always configured first.
 */
import { z } from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';

z.config(zhCN());

export { z };
