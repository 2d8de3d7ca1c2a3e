/**
 * Compliance views for leaders and the legal division: what is due soon or overdue, with the (working)
 * days left — the same list the daily check sends as digests, computed now, changing nothing.
 */
import * as z from '#domain/z.ts';
import { agencyId } from '#domain/agency.ts';
import { calendarDate, shanghaiToday } from '#domain/dates.ts';
import { ForbiddenError } from '#domain/errors.ts';
import { createHttpHandler, route } from '#http/router.ts';
import { deadlineCheck } from '#services/deadlines.ts';

const STAFF = { groups: ['leader', 'admin'] } as const;

export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/compliance/deadlines',
    auth: STAFF,
    summary: '期限提醒：即将到期和已逾期的事项，及剩余（工作）日',
    query: z.strictObject({
      agencyId: agencyId.optional(),
      date: calendarDate.optional().meta({ description: '按哪一天计算，缺省为今天（北京时间）' }),
    }),
    handle: async (r) => {
      // A county bureau's staff see their own agency; admins (the legal division) any or all.
      const own = r.identity.groups.includes('admin') ? undefined : r.identity.agencyId;
      if (own !== undefined && r.query.agencyId !== undefined && r.query.agencyId !== own) throw new ForbiddenError('只能查看本机构的期限提醒');
      const scope = r.query.agencyId ?? own;
      const run = await deadlineCheck(r.query.date ?? shanghaiToday(), { act: false, ...(scope ? { agencyId: scope } : {}) });
      return { date: run.date, items: run.items, digests: run.digests.map((d) => ({ agencyId: d.agencyId, agencyName: d.agencyName, counts: d.counts })) };
    },
  }),
]);
