/**
 * Compliance views for leaders and the legal division: what is due soon or overdue, with the (working)
 * days left — the same list the daily check sends as digests, computed now, changing nothing.
 */
import * as z from '#domain/z.ts';
import { agencyId } from '#domain/agency.ts';
import { calendarDate, shanghaiToday } from '#domain/dates.ts';
import { isAdmin } from '#domain/access.ts';
import { requireAccess } from '#services/access.ts';
import { createHttpHandler, route } from '#http/router.ts';
import { deadlineCheck } from '#services/deadlines.ts';


export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/compliance/deadlines',
    auth: 'deadlines.read',
    summary: '期限提醒：即将到期和已逾期的事项，及剩余（工作）日',
    query: z.strictObject({
      agencyId: agencyId.optional(),
      date: calendarDate.optional().meta({ description: '按哪一天计算，缺省为今天（北京时间）' }),
    }),
    handle: async (r) => {
      // Without agencyId: staff see their own agency; admins (the legal division) all of them.
      const scope = r.query.agencyId ?? (isAdmin(r.identity) ? undefined : r.identity.agencyId);
      if (scope !== undefined) await requireAccess(r.identity, 'deadlines.read', scope);
      const run = await deadlineCheck(r.query.date ?? shanghaiToday(), { act: false, ...(scope ? { agencyId: scope } : {}) });
      return { date: run.date, items: run.items, digests: run.digests.map((d) => ({ agencyId: d.agencyId, agencyName: d.agencyName, counts: d.counts })) };
    },
  }),
]);
