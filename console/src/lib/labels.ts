/** Words the console shows for the API's codes (zh-CN). */
import type { Group } from '../../../shared/domain/identity.ts';

export const ROLE_LABELS: Record<Group, string> = {
  officer: '执法人员',
  reviewer: '法制审核人员',
  leader: '负责人',
  admin: '法制机构（管理员）',
};
/** The order roles are listed in, on the sign-in page and in the header. */
export const ROLE_ORDER: readonly Group[] = ['officer', 'reviewer', 'leader', 'admin'];

export const CASE_STATUS_LABELS: Record<string, string> = { OPEN: '办理中', DECIDED: '已作出决定', CLOSED: '已结案' };

/** As shared/domain/decision.ts DECISION_STATUS_LABELS (that module brings zod; the console does not). */
export const DECISION_STATUS_LABELS: Record<string, string> = {
  DRAFT: '草稿',
  IN_REVIEW: '法制审核中',
  REVIEW_PASSED: '法制审核通过',
  ISSUED: '已作出',
  PUBLISHED: '已公示',
  WITHDRAWN: '已撤下',
  EXEMPT: '不予公开',
  EXPIRED: '公示期满',
};

/** Short names of the deadline check's kinds (shared/domain/deadlines.ts), for a reminder beside a case. */
export const DEADLINE_KIND_LABELS: Record<string, string> = {
  PUBLICATION: '决定公示',
  WITHDRAWAL: '撤下公示',
  CASE_LIMIT: '办案期限',
  SERVICE: '决定书送达',
  PAYMENT: '罚款缴纳',
  REVIEW_OPINION: '法制审核意见',
  CERTIFICATE: '执法证件',
  DISCLOSURE_ENDED: '公示期届满',
  UPLOAD_ABANDONED: '证据上传',
  HOLIDAY_DATA: '节假日数据',
};

export const PARTY_KIND_LABELS: Record<string, string> = { ORG: '单位', PERSON: '自然人', INDIVIDUAL_BUSINESS: '个体工商户' };

export const ACT_TYPE_LABELS: Record<string, string> = {
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

export const SERVICE_METHOD_LABELS: Record<string, string> = {
  IN_PERSON: '直接送达',
  BY_LEAVING: '留置送达',
  BY_PUBLIC_NOTICE: '公告送达',
  ELECTRONIC: '电子送达',
  BY_MAIL: '邮寄送达',
};

export const REQUIREMENT_LABELS: Record<string, string> = { FULL_VIDEO: '全程录像', PHOTO_AUDIO_OR_VIDEO: '照片、录音或录像' };

export const rolesText = (groups: readonly Group[]): string =>
  ROLE_ORDER.filter((g) => groups.includes(g))
    .map((g) => ROLE_LABELS[g])
    .join('、');
