/** Words the console shows for the API's codes (zh-CN). */
import type { Group } from '../../../shared/domain/identity.ts';
import { ACT_LABELS, DECISION_STATUS_LABELS as DECISION_STATUS_NAMES } from '../../../shared/domain/record-labels.ts';

export const ROLE_LABELS: Record<Group, string> = {
  officer: '执法人员',
  reviewer: '法制审核人员',
  leader: '负责人',
  admin: '法制机构（管理员）',
};
/** The order roles are listed in, on the sign-in page and in the header. */
export const ROLE_ORDER: readonly Group[] = ['officer', 'reviewer', 'leader', 'admin'];

export const CASE_STATUS_LABELS: Record<string, string> = { OPEN: '办理中', DECIDED: '已作出决定', CLOSED: '已结案' };

/** The domain's names (shared/domain/record-labels.ts), looked up by the codes as the API sends them. */
export const DECISION_STATUS_LABELS: Readonly<Record<string, string>> = DECISION_STATUS_NAMES;
export const ACT_TYPE_LABELS: Readonly<Record<string, string>> = ACT_LABELS;

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
