/**
 * The kinds of act and the decision statuses with their names: data only, so that the staff console
 * can show them without loading the domain's schemas (case.ts and decision.ts build zod schemas and read
 * the configuration when loaded). Those modules re-export these; nothing else defines them.
 */

export const ACT_TYPES = [
  'INSPECTION', // 现场检查
  'QUESTIONING', // 询问
  'SAMPLING', // 抽样
  'PRESERVATION_REGISTRATION', // 先行登记保存
  'SEIZURE', // 查封扣押
  'SEALING', // 查封场所
  'HEARING', // 听证
  'SERVICE', // 送达
  'EXECUTION', // 执行
  'OTHER',
] as const;
export type ActType = (typeof ACT_TYPES)[number];

export const ACT_LABELS: Record<ActType, string> = {
  INSPECTION: '现场检查',
  QUESTIONING: '询问',
  SAMPLING: '抽样取证',
  PRESERVATION_REGISTRATION: '先行登记保存',
  SEIZURE: '查封扣押',
  SEALING: '查封场所',
  HEARING: '听证',
  SERVICE: '送达',
  EXECUTION: '执行',
  OTHER: '其他',
};

export const DECISION_STATUSES = ['DRAFT', 'IN_REVIEW', 'REVIEW_PASSED', 'ISSUED', 'PUBLISHED', 'WITHDRAWN', 'EXEMPT', 'EXPIRED'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const DECISION_STATUS_LABELS: Record<DecisionStatus, string> = {
  DRAFT: '草稿',
  IN_REVIEW: '法制审核中',
  REVIEW_PASSED: '法制审核通过',
  ISSUED: '已作出',
  PUBLISHED: '已公示',
  WITHDRAWN: '已撤下',
  EXEMPT: '不予公开',
  EXPIRED: '公示期满',
};
