/**
 * The one authorisation policy (I2 "collected unconditionally, used conditionally", S3): which roles
 * may do what, and to which agency's data. Routes take their groups from here, and every service
 * that touches an agency's entity asks `authorize` before it reads or writes.
 *
 * The rule, fail-closed:
 * - Only people act on staff routes: an identity with no group, or a device, is refused.
 * - `admin` is the city's legal division (法规处): it supervises every agency and is the only role
 *   that may act without an agency of its own.
 * - Everyone else must carry an agency (`custom:agencyId`); one that does not is refused, never
 *   treated as "any agency".
 * - An agency's staff act on the entities of their own agency and of the agencies below it (the
 *   city bureau over its county bureaus), never on a sibling's or a superior's; a few permissions
 *   (devices) stay with the entity's own agency.
 * - The reviewer assigned to a review acts on it whatever their agency (L2: a reviewer pool may be
 *   drawn on across units), but only on that review.
 */
import { ForbiddenError } from './errors.ts';
import type { Group, Identity } from './identity.ts';

/** How a permission is scoped. */
type Scope =
  /** Not tied to one agency's data (registries, catalogues, the public-facing lists). */
  | 'global'
  /** The entity's agency or an agency above it. */
  | 'agency'
  /** The entity's own agency only (a device's credentials stay with the unit that holds it). */
  | 'own-agency'
  /** As `agency`, and also the reviewer assigned to the review in question. */
  | 'agency-or-assignee'
  /** Only the reviewer assigned to the review in question. */
  | 'assignee';

interface Rule {
  readonly groups: readonly Group[];
  readonly scope: Scope;
  /** zh-CN, for the 403 when the role is missing. */
  readonly what: string;
}

const ALL: readonly Group[] = ['officer', 'reviewer', 'leader', 'admin'];
const HANDLING: readonly Group[] = ['officer', 'leader', 'admin'];

export const POLICY = {
  // Registries and catalogues: readable by all staff, changed by the legal division.
  'registry.read': { groups: ALL, scope: 'global', what: '查看执法主体和执法人员' },
  'registry.manage': { groups: ['admin'], scope: 'global', what: '维护执法主体、执法人员和设备' },
  'catalog.read': { groups: ALL, scope: 'global', what: '查看职权和事项清单' },
  'catalog.manage': { groups: ['admin'], scope: 'global', what: '维护职权和事项清单' },
  'calendar.manage': { groups: ['admin'], scope: 'global', what: '录入或修改法定节假日安排' },
  'audit.read': { groups: ['admin'], scope: 'global', what: '查看审计记录' },
  'audit.checkpoint': { groups: ['admin'], scope: 'global', what: '生成审计检查点' },
  // The annual statistics report's stages (D13, N13): the legal division drafts, delivers and publishes it.
  'report.manage': { groups: ['admin'], scope: 'global', what: '生成、报送或公开统计年报' },
  'staffing.read': { groups: ['leader', 'admin'], scope: 'global', what: '查看法制审核人员配备' },
  // The internal API's contract (GET /openapi.json, issue 16): any signed-in staff member, never a device.
  'openapi.read': { groups: ALL, scope: 'global', what: '查看内部接口文档' },
  // Devices: their list and details (client ids included) stay with the device's own agency and admins.
  'device.read': { groups: ALL, scope: 'own-agency', what: '查看执法记录设备' },
  // Cases, acts, decisions (R1, D7–D11, L1).
  'case.read': { groups: ALL, scope: 'agency', what: '查看案件' },
  'case.write': { groups: HANDLING, scope: 'agency', what: '立案、记录执法行为和起草决定' },
  'case.extend': { groups: ['admin', 'leader'], scope: 'agency', what: '延长办案期限' },
  'decision.issue': { groups: ['leader'], scope: 'agency', what: '作出决定' },
  'disclosure.manage': { groups: ['admin', 'leader'], scope: 'agency', what: '公示、更正、撤下或不予公开决定' },
  'deadlines.read': { groups: ['leader', 'admin'], scope: 'agency', what: '查看期限提醒' },
  'payment.approve': { groups: ['leader', 'admin'], scope: 'agency', what: '批准暂缓或分期缴纳罚款' },
  // Evidence (R3–R7).
  'evidence.read': { groups: ALL, scope: 'agency', what: '查看和调取证据' },
  'evidence.read-rejected': { groups: ['admin'], scope: 'agency', what: '查看未通过校验的上传' },
  'evidence.manage': { groups: ['admin'], scope: 'agency', what: '设置法律保全或登记音像记录例外' },
  // Legal review (L1–L7).
  'review.handle': { groups: HANDLING, scope: 'agency', what: '提交、补充、协调或撤回法制审核' },
  'review.read': { groups: ALL, scope: 'agency-or-assignee', what: '查看法制审核' },
  'review.opinion': { groups: ['reviewer'], scope: 'assignee', what: '出具审核意见' },
  'review.queue': { groups: ['reviewer', 'admin'], scope: 'global', what: '查看审核任务' },
  'review.discuss': { groups: ['leader', 'admin'], scope: 'agency', what: '录入集体讨论' },
  'review.approve': { groups: ['leader'], scope: 'agency', what: '负责人审批' },
  'review.reassign': { groups: ['admin'], scope: 'agency', what: '改派审核人员' },
  'responsibility.read': { groups: ALL, scope: 'agency-or-assignee', what: '查看责任记录' },
} as const satisfies Record<string, Rule>;

export type Permission = keyof typeof POLICY;

/**
 * The entity being touched. `agencies` is the entity's agency followed by the agencies above it,
 * nearest first (as `agencyChain` loads it); `assigneeOfficerIds` the reviewers assigned to it.
 */
export interface Target {
  readonly agencies: readonly string[];
  readonly assigneeOfficerIds?: readonly string[];
}

export const isAdmin = (identity: Identity): boolean => identity.groups.includes('admin');

/**
 * Whether the caller may act at all on a staff route: a person with a group, and an agency unless
 * admin. Returns a refusal, or undefined.
 */
export function staffRefusal(identity: Identity): ForbiddenError | undefined {
  if (identity.deviceClientId !== undefined) return new ForbiddenError('设备令牌不能调用此接口');
  if (identity.groups.length === 0) return new ForbiddenError('当前用户没有任何角色，不能调用内部接口', 'NO_ROLE');
  if (!isAdmin(identity) && identity.agencyId === undefined) {
    return new ForbiddenError('当前用户未关联执法主体（custom:agencyId），不能调用内部接口', 'AGENCY_REQUIRED');
  }
  return undefined;
}

/** Decides; never throws. A target is required for every scope but `global`. */
export function permits(identity: Identity, permission: Permission, target?: Target): boolean {
  const rule: Rule = POLICY[permission];
  if (staffRefusal(identity) !== undefined) return false;
  if (!rule.groups.some((g) => identity.groups.includes(g))) return false;
  if (rule.scope === 'global') return true;
  if (!target || target.agencies.length === 0) return false;
  const assigned = identity.officerId !== undefined && identity.groups.includes('reviewer') && (target.assigneeOfficerIds ?? []).includes(identity.officerId);
  if (rule.scope === 'assignee') return assigned;
  if (rule.scope === 'agency-or-assignee' && assigned) return true;
  if (isAdmin(identity)) return true;
  if (identity.agencyId === undefined) return false;
  return rule.scope === 'own-agency' ? target.agencies[0] === identity.agencyId : target.agencies.includes(identity.agencyId);
}

/**
 * The route-level half of a permission, checked before anything is read: a person with one of the
 * permission's groups and, unless admin, an agency. Throws 403.
 */
export function requireRole(identity: Identity, permission: Permission): void {
  const refusal = staffRefusal(identity);
  if (refusal) throw refusal;
  const rule: Rule = POLICY[permission];
  if (!rule.groups.some((g) => identity.groups.includes(g))) {
    throw new ForbiddenError(`无权${rule.what}：需要以下角色之一：${rule.groups.join('、')}`);
  }
}

/** Throws 403 unless `permits`; the message says what was refused and why. */
export function authorize(identity: Identity, permission: Permission, target?: Target): void {
  if (permits(identity, permission, target)) return;
  requireRole(identity, permission);
  if (POLICY[permission].scope === 'assignee') throw new ForbiddenError(`只有被分配的审核人员可以${POLICY[permission].what}`);
  const where = POLICY[permission].scope === 'own-agency' ? '本机构' : '本机构及下级机构';
  throw new ForbiddenError(`无权${POLICY[permission].what}：只能处理${where}的事项`, 'AGENCY_FORBIDDEN');
}
