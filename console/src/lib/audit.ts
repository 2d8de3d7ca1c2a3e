/**
 * 审计记录 (issue 16, point 5; R7, I2): the audit trail of one record as a readable table, and the hash
 * chains' verification and signed checkpoints in words. Pure: the section fetches, this decides what
 * the legal division reads. The trail's chains and checks are shared/domain/audit.ts and
 * shared/services/checkpoints.ts (Node modules, out of the bundle); the shapes below are their answers.
 */
import type { ApiError } from './errors.ts';

// ---------------------------------------------------------------- the records the trail is kept for

/** The entity types `GET /audit/events` accepts (functions/audit/handler.ts), with what their id is. */
export const ENTITY_TYPES: readonly { readonly type: string; readonly label: string; readonly idHint: string }[] = [
  { type: 'Case', label: '案件', idHint: '案件的内部编号（案件页地址中的编号）' },
  { type: 'Decision', label: '行政执法决定', idHint: '所属案件的内部编号' },
  { type: 'Review', label: '法制审核', idHint: '审核任务的编号（审核页地址中的编号）' },
  { type: 'Evidence', label: '证据', idHint: '证据编号' },
  { type: 'Officer', label: '执法人员', idHint: '执法人员编号' },
  { type: 'Agency', label: '执法主体', idHint: '机构编号，如 sq-city' },
  { type: 'Device', label: '执法记录设备', idHint: '设备编号' },
  { type: 'POWER', label: '职权事项', idHint: '事项编码' },
  { type: 'INSPECTION', label: '随机抽查事项', idHint: '事项编码' },
  { type: 'REVIEW_CATALOGUE', label: '重大执法决定目录', idHint: '目录编号，一般为 default' },
  { type: 'FIRST_VIOLATION', label: '首违不罚清单事项', idHint: '清单事项编码' },
  { type: 'AnnualReport', label: '统计年报', idHint: '年度，如 2025' },
  { type: 'CALENDAR', label: '节假日安排', idHint: '年度，如 2026' },
];

export const entityTypeLabel = (type: string): string => ENTITY_TYPES.find((e) => e.type === type)?.label ?? type;

/** What the services record (their `action`), in words; an action without a label is shown as recorded. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'agency.create': '新建执法主体',
  'agency.update': '修改执法主体',
  'officer.create': '新增执法人员',
  'officer.update': '修改执法人员信息',
  'officer.certificate-status': '变更执法证件状态',
  'officer.training.add': '登记培训',
  'power.create': '新增职权事项',
  'power.version': '修订职权事项',
  'power.repeal': '废止职权事项',
  'inspection.create': '新增随机抽查事项',
  'inspection.version': '修订随机抽查事项',
  'inspection.repeal': '废止随机抽查事项',
  'review_catalogue.create': '制定重大执法决定目录',
  'review_catalogue.version': '修订重大执法决定目录',
  'review_catalogue.repeal': '废止重大执法决定目录',
  'first_violation.create': '新增首违不罚事项',
  'first_violation.version': '修订首违不罚事项',
  'first_violation.repeal': '废止首违不罚事项',
  'case.open': '立案',
  'case.act': '记录执法行为',
  'case.extend': '延长办案期限',
  'case.notice': '制作告知书',
  'case.statement': '收到陈述申辩',
  'case.statement.waiver': '放弃陈述申辩',
  'case.statement.response': '答复陈述申辩',
  'case.hearing.request': '申请听证',
  'case.hearing.withdrawal': '撤回听证申请',
  'case.hearing.arrangement': '安排听证',
  'case.hearing.postponement': '听证延期',
  'case.hearing.record': '记录听证',
  'case.service': '送达',
  'case.electronic-consent': '同意电子送达',
  'case.payment': '登记缴款',
  'case.payment.arrangement': '批准延期或分期缴纳',
  'case.remedy': '登记行政复议或诉讼',
  'case.remedy.outcome': '登记复议或诉讼结果',
  'case.recording-exception': '登记记录例外',
  'case.ending': '终止案件',
  'case.close': '结案',
  'case.file.export': '导出电子卷宗',
  'document.create': '制作文书',
  'decision.draft.create': '起草决定',
  'decision.draft.update': '修改决定草稿',
  'decision.issue': '作出决定',
  'decision.publish': '公示决定',
  'decision.exempt': '决定不予公开',
  'decision.correct': '更正公示信息',
  'decision.withdraw': '撤下公示',
  'decision.changed': '决定被变更或撤销',
  'disclosure.expire': '公示期满',
  'deadline.recount': '重新计算期限',
  'review.submit': '提交法制审核',
  'review.assign': '指派审核人员',
  'review.reassign': '改派审核人员',
  'review.opinion': '出具审核意见',
  'review.supplement': '补充材料',
  'review.coordination': '协调意见',
  'review.collective-discussion': '集体讨论',
  'review.approval': '负责人审批',
  'review.approval.override': '负责人改变审核意见',
  'review.escalate': '审核超时提醒',
  'review.outcome': '审核结果',
  'review.withdraw': '撤回审核',
  'review.failed': '审核流程异常',
  'review.step-reopen': '重新开启审核步骤',
  'review.not-required': '无需法制审核',
  'device.register': '登记执法记录设备',
  'device.credentials.rotate': '更换设备凭据',
  'device.revoke': '停用设备',
  'evidence.upload.start': '开始上传证据',
  'evidence.upload.complete': '证据上传完成',
  'evidence.upload.abort': '证据上传中止',
  'evidence.seal': '证据核验一致并封存',
  'evidence.reject': '证据核验不一致，拒收',
  'evidence.integrity.verified': '证据定期复核一致',
  'evidence.integrity.failed': '证据复核不一致',
  'evidence.access': '调取查看证据',
  'evidence.legal-hold.set': '设置法律保全',
  'evidence.legal-hold.lift': '解除法律保全',
  'report.draft': '生成统计年报草稿',
  'report.correct': '生成统计年报更正版本',
  'report.deliver': '报送统计年报',
  'report.publish': '公开统计年报',
  'calendar.enter': '录入节假日安排',
  'calendar.change': '修改节假日安排',
};

export const actionLabel = (action: string): string => AUDIT_ACTION_LABELS[action] ?? action;

// ---------------------------------------------------------------- reading an event

/** One event of `GET /audit/events` (shared/domain/audit.ts AuditEvent), the fields shown. */
export interface AuditEventView {
  readonly chain: string;
  readonly seq: number;
  readonly at: string;
  readonly actor: { readonly sub: string; readonly name: string; readonly groups: readonly string[] };
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly change: Readonly<Record<string, unknown>>;
  readonly hash: string;
}

/** `2026-01-15T02:30:05.120Z` → `2026-01-15 10:30:05`, Beijing time (UTC+8, no daylight saving). */
export function shanghaiTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Field names that recur in the trail's changes, in words. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  after: '新建',
  reason: '原因',
  version: '版本',
  versionNo: '版本号',
  previousVersionNo: '原版本号',
  status: '状态',
  certificateStatus: '证件状态',
  name: '名称',
  caseNo: '案件编号',
  decisionNo: '决定书文号',
  type: '类型',
  at: '时间',
  agencyId: '执法主体',
  effectiveFrom: '生效日期',
  effectiveTo: '失效日期',
  serial: '序列号',
  model: '型号',
  days: '天数',
  approvedBy: '批准人',
  decisionDueDate: '办案期限',
  note: '说明',
  ground: '理由',
};

const MAX_TEXT = 60;
const MAX_FIELDS = 6;

const clip = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/** A value in a few words: text clipped, 是/否, 空, lists joined, objects by their size. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '空';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '无' : value.every((v) => typeof v !== 'object' || v === null) ? clip(value.map(valueText).join('、')) : `${value.length} 项`;
  if (typeof value === 'object') return `${Object.keys(value).length} 项内容`;
  return clip(String(value as never));
}

const isFromTo = (v: unknown): v is { from: unknown; to: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && 'from' in v && 'to' in v;

/**
 * The change in a few lines: a field diff (`{field: {from, to}}`) as `字段：旧 → 新`, a new record
 * (`after`) by its name and size, other facts as `字段：值`; at most MAX_FIELDS lines, then how many more.
 */
export function changeSummary(change: Readonly<Record<string, unknown>>): string[] {
  const label = (k: string) => FIELD_LABELS[k] ?? k;
  const lines: string[] = [];
  const entries = Object.entries(change).filter(([, v]) => v !== undefined);
  for (const [k, v] of entries) {
    if (isFromTo(v)) lines.push(`${label(k)}：${valueText(v.from)} → ${valueText(v.to)}`);
    else if (k === 'after' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const name = typeof o.name === 'string' ? `「${clip(o.name)}」` : '';
      lines.push(`新建记录${name}（${Object.keys(o).length} 项内容）`);
    } else lines.push(`${label(k)}：${valueText(v)}`);
  }
  if (lines.length > MAX_FIELDS) return [...lines.slice(0, MAX_FIELDS), `另有 ${lines.length - MAX_FIELDS} 项，见完整内容`];
  return lines.length > 0 ? lines : ['（无变更内容）'];
}

/** Roles of the actor as recorded (a device or the system's jobs have their own). */
const ACTOR_ROLE_LABELS: Readonly<Record<string, string>> = { officer: '执法人员', reviewer: '法制审核人员', leader: '负责人', admin: '法制机构', device: '执法记录设备' };
export const actorRoles = (groups: readonly string[]): string => groups.map((g) => ACTOR_ROLE_LABELS[g] ?? g).join('、');

// ---------------------------------------------------------------- the query form

export interface EventsDraft {
  entityType: string;
  entityId: string;
}
export const emptyEventsDraft = (): EventsDraft => ({ entityType: 'Case', entityId: '' });
export const EVENTS_FIELDS = ['entityType', 'entityId'] as const;
export const EVENTS_PAGE_SIZE = 50;

/** The query of `GET /audit/events`; an empty id is the API's to refuse, beside its field. */
export function eventsQuery(d: EventsDraft, cursor?: string) {
  return { entityType: d.entityType as 'Case', entityId: d.entityId.trim(), limit: EVENTS_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
}

/** The query's errors by field: the API names them `query.entityId`, `query.entityType`. */
export function queryErrors(error: ApiError): { byField: Record<string, string[]>; general: string[] } {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const d of error.details) {
    const parts = (d.path ?? '').split('.');
    const head = parts[0] === 'query' ? parts[1] : parts[0];
    if (head !== undefined && (EVENTS_FIELDS as readonly string[]).includes(head)) (byField[head] ??= []).push(d.message);
    else general.push(d.message);
  }
  return { byField, general };
}

// ---------------------------------------------------------------- verification (GET /audit/verify)

export type ChainBreakKind = 'MISSING' | 'HASH_MISMATCH' | 'PREV_HASH_MISMATCH' | 'KEY_MISMATCH' | 'HEAD_MISMATCH';
export interface ChainBreak {
  readonly kind: string;
  readonly chain: string;
  readonly seq: number;
  readonly message: string;
}
export interface ChainReport {
  readonly chain: string;
  readonly ok: boolean;
  readonly checked: number;
  readonly headSeq: number;
  readonly firstBreak: ChainBreak | null;
}
/** shared/services/audit.ts VerifyReport. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly headSeq: number;
  readonly firstBreak: ChainBreak | null;
  readonly chains: readonly ChainReport[];
  readonly verifiedAt: string;
}

/** What each kind of break means for the record (shared/domain/audit.ts ChainVerifier). */
export const BREAK_MEANINGS: Readonly<Record<ChainBreakKind, string>> = {
  MISSING: '有审计事件被删除或丢失：链中的序号不连续，或链头记录的条数多于实际存在的事件。',
  HASH_MISMATCH: '有审计事件的内容在写入后被改动：重新计算的哈希与记录的哈希不符。',
  PREV_HASH_MISMATCH: '事件之间的哈希链接被破坏：有事件被替换、插入或重新排列。',
  KEY_MISMATCH: '有事件被移动到其他位置，或从其他审计链复制而来。',
  HEAD_MISMATCH: '链头记录与最后一条事件不符：链尾的事件被截断或链头被回退。',
};
export const breakMeaning = (kind: string): string => BREAK_MEANINGS[kind as ChainBreakKind] ?? '审计链与其记录不一致。';

/** The verification in one sentence, then (when broken) what it means and what to do. */
export function verifySummary(r: VerifyReport): { readonly ok: boolean; readonly headline: string; readonly details: readonly string[] } {
  if (r.chains.length === 0) return { ok: true, headline: '尚无审计事件，没有需要校验的审计链。', details: [] };
  const when = shanghaiTime(r.verifiedAt);
  if (r.ok) {
    return { ok: true, headline: `${r.chains.length} 条审计链全部完整：共校验 ${r.checked} 条事件，每条事件的哈希、前后链接与链头记录一致（${when} 校验）。`, details: [] };
  }
  const broken = r.chains.filter((c) => !c.ok);
  const first = r.firstBreak ?? broken[0]?.firstBreak ?? null;
  const details: string[] = [];
  if (first) details.push(`第一处断裂：审计链 ${first.chain} 第 ${first.seq} 号事件。${first.message}。`, `这意味着：${breakMeaning(first.kind)}`);
  details.push(
    '断裂位置之后的事件不能再凭哈希链证明未被改动；断裂之前的事件仍然可信。已签名的检查点（每小时一次，锁定保存、不可删改）可用于确定断裂前哪些事件曾被签名确认。',
    '请立即报告系统管理员和单位负责人，保留现状，不要再修改相关记录；由运维人员在服务器上运行 npm run audit:verify，核对数据与已签名检查点，查明原因。',
  );
  return { ok: false, headline: `${broken.length} 条审计链断裂（共 ${r.chains.length} 条）：审计记录可能被篡改或丢失（${when} 校验）。`, details };
}

/** One chain's state in a table cell. */
export function chainStateText(c: ChainReport): string {
  if (c.ok) return '完整';
  return c.firstBreak ? `自第 ${c.firstBreak.seq} 号事件起断裂` : '断裂';
}

// ---------------------------------------------------------------- checkpoints (POST /audit/checkpoints)

/**
 * Whether a chain's events up to its head are covered by a signed checkpoint: the public list of the
 * chain's checkpoints from the head's size (`GET /public/audit/checkpoints?chain=&from=<head>&limit=1`)
 * holds one of exactly that size. (GET /audit/verify checks the links, not the checkpoints.)
 */
export const coverageQuery = (chain: string, headSeq: number): string => `/public/audit/checkpoints?chain=${encodeURIComponent(chain)}&from=${headSeq}&limit=1`;
export const headCovered = (headSeq: number, page: { items: readonly { treeSize: number }[] }): boolean => page.items[0]?.treeSize === headSeq;

/** A chain's signing state in a table cell: covered, waiting for the next run, or not known. */
export function coverageText(headSeq: number, covered: boolean | null | undefined): string {
  if (headSeq === 0) return '无事件';
  if (covered === undefined) return '正在读取…';
  if (covered === null) return '无法读取检查点';
  return covered ? `已签名：第 1–${headSeq} 号事件` : '最新事件尚未签名（每小时自动签名，也可立即生成）';
}

export type ChainRunStatus = 'CHECKPOINTED' | 'UNCHANGED' | 'RACED' | 'BROKEN';
export interface ChainRun {
  readonly chain: string;
  readonly status: string;
  readonly treeSize: number;
  readonly previousSize: number;
  readonly eventsRead: number;
  readonly nodesWritten: number;
  readonly rootHash?: string;
  readonly message?: string;
  readonly seq?: number;
}
/** shared/services/checkpoints.ts CheckpointRun. */
export interface CheckpointRun {
  readonly created: number;
  readonly eventsRead: number;
  readonly nodesWritten: number;
  readonly broken: number;
  readonly chains: readonly ChainRun[];
}

export const CHECKPOINT_CONFIRM_TEXT =
  '将为自上次检查点以来有新事件的每条审计链计算默克尔树根并签名，签名后的检查点锁定保存，不能删除或修改；与每小时的定时任务相同。之后任何人都可凭公开的检查点核验审计记录只增未改。';

/** One chain's checkpoint in a table cell. */
export function chainRunText(c: ChainRun): string {
  switch (c.status) {
    case 'CHECKPOINTED':
      return `新检查点：第 1–${c.treeSize} 号事件（本次新增 ${c.treeSize - c.previousSize} 条）`;
    case 'UNCHANGED':
      return c.treeSize > 0 ? `无新事件，最新检查点覆盖第 1–${c.treeSize} 号事件` : '无事件';
    case 'RACED':
      return '同时有另一次检查点生成，本次未写入（无需处理）';
    case 'BROKEN':
      return `未签名：${c.message ?? '链已断裂'}`;
    default:
      return c.status;
  }
}

/** The run in words. */
export function checkpointSummary(run: CheckpointRun): { readonly ok: boolean; readonly headline: string; readonly details: readonly string[] } {
  const unchanged = run.chains.filter((c) => c.status === 'UNCHANGED').length;
  const details: string[] = [];
  if (run.broken > 0) {
    details.push(
      `${run.broken} 条审计链未能签名：链中的事件与此前已签名的内容不符（被改动、删除或截断），系统不会为已断裂的链签名。请按上方“这意味着”的说明处理，并运行链校验确定位置。`,
    );
  }
  details.push('签名检查点可供外部核验：任何人可运行 npm run verify-log -- --url <接口地址>，仅凭公开接口核对签名、前后链接和一致性证明。');
  const head =
    run.created > 0
      ? `已为 ${run.created} 条审计链生成新的签名检查点（共纳入 ${run.eventsRead} 条新事件）${unchanged > 0 ? `；其余 ${unchanged} 条自上次检查点以来没有新事件` : ''}。`
      : run.broken > 0
        ? '没有生成新的检查点。'
        : `所有 ${run.chains.length} 条审计链自上次检查点以来都没有新事件，无需生成新的检查点。`;
  return { ok: run.broken === 0, headline: head, details };
}
