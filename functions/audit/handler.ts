/** The audit trail for admins: verify the hash chain, list the newest events or one entity's events. */
import * as z from '#domain/z.ts';
import { singleLineText } from '#domain/text.ts';
import { createHttpHandler, route } from '#http/router.ts';
import { pageQuery } from '#http/schemas.ts';
import { eventsOfEntity, latestEvents } from '#store/audit.ts';
import { verifyAuditChain } from '#services/audit.ts';

// Checkpointing (S3 and KMS) is loaded by the route that runs it, not at every cold start.
const checkpoints = () => import('#services/checkpoints.ts');


export const handler = createHttpHandler([
  route({
    method: 'GET',
    path: '/audit/verify',
    auth: 'audit.read',
    summary: '校验每条审计哈希链，按链报告，指出第一个断裂或缺失的位置（链与序号）',
    query: z.strictObject({}),
    handle: async () => verifyAuditChain(),
  }),
  route({
    method: 'POST',
    path: '/audit/checkpoints',
    auth: 'audit.checkpoint',
    summary: '立即为有新事件的每条审计链生成签名检查点（与每小时的定时任务相同）',
    query: z.strictObject({}),
    handle: async () => (await checkpoints()).runCheckpoints(),
  }),
  route({
    method: 'GET',
    path: '/audit/events',
    auth: 'audit.read',
    summary: '某一对象的审计事件',
    query: z.strictObject({
      entityType: z.enum(['Agency', 'Officer', 'POWER', 'INSPECTION', 'REVIEW_CATALOGUE', 'FIRST_VIOLATION', 'Case', 'Decision', 'Review', 'Device', 'Evidence', 'AnnualReport', 'CALENDAR']),
      entityId: singleLineText({ min: 1, max: 64 }),
      ...pageQuery,
    }),
    handle: async ({ query }) => {
      const { entityType, entityId, ...page } = query;
      return eventsOfEntity(entityType, entityId, page);
    },
  }),
  route({
    method: 'GET',
    path: '/audit/recent',
    auth: 'audit.read',
    summary: '最新的审计事件（全部审计链，按时间倒序）：法制机构浏览近期操作；查某一对象的全部事件用 /audit/events',
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: '条数，1–200，缺省 50' }) }),
    handle: async ({ query }) => ({ items: await latestEvents(query.limit) }),
  }),
]);
