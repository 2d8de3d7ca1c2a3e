/** Schemas shared by many routes: pagination, as-of dates, the error envelope. */
import * as z from '../domain/z.ts';
import { calendarDate } from '../domain/dates.ts';

export const pageQuery = {
  cursor: z.string().max(4096).optional().meta({ description: '上一页返回的 nextCursor（不透明）' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: '每页条数，1–100，缺省 20' }),
};

export const asOfQuery = {
  asOf: calendarDate.optional().meta({ description: '查询该日期有效的版本，缺省为今天（北京时间）' }),
};

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: '下一页游标；没有更多时为 null' }) })
    .meta({ id });

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.string().meta({ description: '稳定的错误码（英文）', example: 'NOT_FOUND' }),
      message: z.string().meta({ description: '中文说明' }),
      details: z.array(z.object({ path: z.string().optional(), message: z.string() }).loose()).optional(),
    }),
  })
  .meta({ id: 'Error' });
