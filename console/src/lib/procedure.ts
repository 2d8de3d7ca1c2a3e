/**
 * The penalty procedure's steps on the case page (issue 16 point 2; P1–P5): where the case stands at
 * 告知, 送达, 陈述申辩, 听证, 法制审核 and 缴款, the next thing to do, the bodies of the step forms,
 * and the API's rule refusals (409/422 codes) turned into what the officer should do next. Pure: the
 * page feeds it what GET /cases/{id} and its procedure lists answer.
 */
import type { paths } from '../api/schema.d.ts';
import type { ApiError } from './errors.ts';

type JsonBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;
export type ServiceBody = JsonBody<'/cases/{id}/services'>;
export type StatementBody = JsonBody<'/cases/{id}/statements'>;

/** The case's prior notice (shared/domain/procedure.ts NoticeState), the fields shown. */
export interface NoticeInfo {
  readonly documentId: string;
  readonly documentNo: string;
  readonly date: string;
  readonly hearingOffered: boolean;
  readonly servedOn?: string;
  readonly statementEndsOn?: string;
  readonly hearingRequestEndsOn?: string;
  readonly waivedOn?: string;
}

export interface HearingInfo {
  readonly status: string;
  readonly request?: { readonly receivedOn: string };
  readonly arrangement?: { readonly at: string; readonly place?: string };
  readonly held?: { readonly heldOn: string };
}

/** What GET /cases/{id} says about the procedure, beyond the console's CaseDetail. */
export interface ProcedureCase {
  readonly status: string;
  readonly notice?: NoticeInfo;
  readonly hearing?: HearingInfo;
}

export interface StatementInfo {
  readonly id: string;
  readonly kind: string;
  readonly receivedOn: string;
  readonly channel: string;
  readonly text: string;
  readonly late: boolean;
  readonly noticeDocumentNo: string;
  readonly response?: { readonly adoption: string; readonly response: string };
}

export interface ServiceInfo {
  readonly id: string;
  readonly documentNo: string;
  readonly documentTitle: string;
  readonly method: string;
  readonly servedOn: string;
  readonly effectiveOn: string;
  readonly recipient: string;
}

export type StepState = 'done' | 'current' | 'waiting' | 'skipped';
export type StepKey = 'notice' | 'service' | 'statement' | 'hearing' | 'review' | 'payment';

export interface Step {
  readonly key: StepKey;
  readonly title: string;
  readonly state: StepState;
  readonly text: string;
}

export const STEP_STATE_LABELS: Record<StepState, string> = { done: '已完成', current: '当前步骤', waiting: '尚未开始', skipped: '不适用' };

export const STATEMENT_KIND_LABELS: Record<string, string> = { STATEMENT: '陈述、申辩', WAIVER: '书面放弃陈述、申辩' };
export const CHANNEL_LABELS: Record<string, string> = { WRITTEN: '书面', ORAL: '口头（已制作笔录）', ELECTRONIC: '电子方式' };
export const ADOPTION_LABELS: Record<string, string> = { ADOPTED: '采纳', PARTLY_ADOPTED: '部分采纳', NOT_ADOPTED: '不予采纳' };
export const SERVICE_METHODS: Record<string, string> = { DIRECT: '直接送达', LEFT_AT_DOMICILE: '留置送达', POST: '邮寄送达', ELECTRONIC: '电子送达', PUBLIC_NOTICE: '公告送达' };
export const HEARING_STATUS_LABELS: Record<string, string> = { REQUESTED: '已申请', ARRANGED: '已安排', HELD: '已举行', WITHDRAWN: '已撤回' };

export interface StepInput {
  readonly c: ProcedureCase;
  /** The decision's status, or undefined before a draft exists. */
  readonly decisionStatus: string | undefined;
  /** The draft is a general-procedure penalty (a prior notice is required). */
  readonly general: boolean;
  readonly inReviewScope: boolean;
  readonly statements: readonly StatementInfo[];
  readonly today: string;
}

const REVIEW_DONE = new Set(['REVIEW_PASSED', 'ISSUED', 'PUBLISHED', 'EXEMPTED', 'WITHDRAWN', 'CORRECTED']);

/** The steps in order, each with its state and a sentence saying where it stands. */
export function procedureSteps(s: StepInput): Step[] {
  const n = s.c.notice;
  const served = n?.servedOn !== undefined;
  const unanswered = s.statements.filter((x) => x.kind === 'STATEMENT' && !x.response).length;
  const periodOver = n?.waivedOn !== undefined || (n !== undefined && periodEnd(n) !== undefined && s.today > (periodEnd(n) ?? ''));
  const h = s.c.hearing;
  const issued = s.decisionStatus !== undefined && ['ISSUED', 'PUBLISHED', 'EXEMPTED', 'CORRECTED', 'WITHDRAWN'].includes(s.decisionStatus);
  const steps: Step[] = [];
  if (!s.general) {
    const why = s.decisionStatus === undefined ? '保存决定草稿后显示' : '只有一般程序的行政处罚须事先告知';
    for (const [key, title] of [['notice', '告知'], ['service', '送达'], ['statement', '陈述申辩'], ['hearing', '听证']] as const) steps.push({ key, title, state: 'skipped', text: why });
  } else {
    steps.push(
      n
        ? { key: 'notice', title: '告知', state: 'done', text: `已制作行政处罚告知书 ${n.documentNo}（${n.date}）${n.hearingOffered ? '，告知了听证权利' : ''}` }
        : { key: 'notice', title: '告知', state: 'current', text: '由决定草稿制作行政处罚告知书，告知拟处罚及陈述、申辩权' },
    );
    steps.push(
      !n
        ? { key: 'service', title: '送达', state: 'waiting', text: '告知书制作后登记送达' }
        : served
          ? { key: 'service', title: '送达', state: 'done', text: `告知书于 ${n.servedOn} 送达，陈述、申辩期限至 ${n.statementEndsOn ?? '—'}` }
          : { key: 'service', title: '送达', state: 'current', text: `登记告知书 ${n.documentNo} 的送达：期限自送达之日起计算` },
    );
    steps.push(
      !served
        ? { key: 'statement', title: '陈述申辩', state: 'waiting', text: '告知书送达后，登记当事人的陈述、申辩或书面放弃' }
        : n?.waivedOn
          ? { key: 'statement', title: '陈述申辩', state: 'done', text: `当事人于 ${n.waivedOn} 书面放弃陈述、申辩${n.hearingOffered ? '和听证' : ''}` }
          : unanswered > 0
            ? { key: 'statement', title: '陈述申辩', state: 'current', text: `${unanswered} 份陈述、申辩尚待书面复核意见` }
            : periodOver
              ? { key: 'statement', title: '陈述申辩', state: 'done', text: `期限已于 ${periodEnd(n!) ?? ''} 届满${s.statements.length ? '，陈述、申辩均已复核' : ''}` }
              : { key: 'statement', title: '陈述申辩', state: 'current', text: `期限至 ${periodEnd(n!) ?? ''}：登记当事人的陈述、申辩或书面放弃` },
    );
    steps.push(
      !h
        ? { key: 'hearing', title: '听证', state: n?.hearingOffered && !periodOver ? 'waiting' : 'skipped', text: n?.hearingOffered ? (periodOver ? '当事人未要求听证' : `当事人可于 ${n.hearingRequestEndsOn ?? '期限内'} 前要求听证`) : '本案不适用听证' }
        : h.status === 'HELD' || h.status === 'WITHDRAWN'
          ? { key: 'hearing', title: '听证', state: 'done', text: h.status === 'HELD' ? `已于 ${h.held?.heldOn ?? ''} 举行听证` : '当事人已撤回听证申请' }
          : { key: 'hearing', title: '听证', state: 'current', text: `当事人于 ${h.request?.receivedOn ?? ''} 要求听证（${HEARING_STATUS_LABELS[h.status] ?? h.status}）：听证结束前不得作出决定` },
    );
  }
  steps.push(
    s.decisionStatus === undefined
      ? { key: 'review', title: '法制审核', state: 'waiting', text: '保存决定草稿后判断是否须经法制审核' }
      : !s.inReviewScope
        ? { key: 'review', title: '法制审核', state: 'skipped', text: '不属于法制审核范围' }
        : REVIEW_DONE.has(s.decisionStatus)
          ? { key: 'review', title: '法制审核', state: 'done', text: '法制审核已通过' }
          : s.decisionStatus === 'IN_REVIEW'
            ? { key: 'review', title: '法制审核', state: 'current', text: '已提交法制审核，等待审核意见' }
            : { key: 'review', title: '法制审核', state: 'current', text: '决定草稿须提交法制审核' },
  );
  // Submitted once the steps before it are done: the officer is pointed at the earlier step first.
  const review = steps.at(-1)!;
  if (review.state === 'current' && s.decisionStatus === 'DRAFT' && steps.slice(0, -1).some((x) => x.state === 'current')) {
    steps[steps.length - 1] = { ...review, state: 'waiting', text: '告知、送达和陈述申辩（听证）完成后提交法制审核' };
  }
  steps.push(
    issued && s.general
      ? { key: 'payment', title: '缴款', state: 'current', text: '决定已作出：按决定书的缴款识别码登记缴款' }
      : { key: 'payment', title: '缴款', state: s.general ? 'waiting' : 'skipped', text: s.general ? '作出决定后登记罚款缴纳' : '不适用' },
  );
  return steps;
}

/** The last day of the party's time to state and (when offered) ask for a hearing. */
export function periodEnd(n: Pick<NoticeInfo, 'statementEndsOn' | 'hearingRequestEndsOn'>): string | undefined {
  if (!n.statementEndsOn) return undefined;
  return n.hearingRequestEndsOn && n.hearingRequestEndsOn > n.statementEndsOn ? n.hearingRequestEndsOn : n.statementEndsOn;
}

const DATE = /\d{4}-\d{2}-\d{2}/;

/**
 * The API's procedure refusals as the page's guidance: what the rule is and what to do now. Codes
 * this page does not know keep the API's own message.
 */
export function nextStepAdvice(e: Pick<ApiError, 'code' | 'message' | 'details'>): string {
  const date = e.details.map((d) => DATE.exec(d.message)?.[0]).find((d) => d !== undefined) ?? DATE.exec(e.message)?.[0];
  switch (e.code) {
    case 'NOTICE_REQUIRED':
      return '须先制作行政处罚告知书：请在「告知」步骤由决定草稿制作告知书。';
    case 'NOTICE_NOT_SERVED':
      return '告知书尚未送达：请在「送达」步骤登记送达，陈述、申辩期限自送达之日起计算。';
    case 'NOTICE_PERIOD_OPEN':
      return `当事人陈述、申辩的期限${date ? `至 ${date} ` : '尚未'}届满：期满后再作出决定，或登记当事人的书面放弃。`;
    case 'NOTICE_NOT_APPLICABLE':
      return '只有一般程序的行政处罚须事先告知：请检查决定草稿的类别和程序。';
    case 'STATEMENT_UNANSWERED':
      return '当事人的陈述、申辩尚无书面复核意见：请在「陈述申辩」步骤逐份作出复核意见。';
    case 'HEAVIER_THAN_NOTIFIED':
      return '草稿的处罚重于告知书所告知的：不得加重处罚，须重新制作并送达告知书。';
    case 'HEARING_PENDING':
      return '当事人已要求听证：听证举行或当事人撤回申请后，方可作出决定。';
    case 'HEARING_NOT_IN_DRAFT':
      return '本案已举行听证：请在决定草稿中勾选「经过听证程序」并保存。';
    case 'HEARING_NOT_HELD':
      return '本案没有已举行的听证：决定草稿不能注明经过听证程序。';
    case 'REVIEW_IN_PROGRESS':
      return '本案已有进行中的法制审核：等待审核意见，无需重复提交。';
    case 'REVIEW_NOT_REQUIRED':
      return '该决定不属于法制审核范围：可由负责人直接作出决定。';
    case 'DECISION_DATE_IN_NOTICE_PERIOD':
      return `决定日期须在陈述、申辩期限之后${date ? `（不早于 ${date}）` : ''}：请修改决定草稿的决定日期。`;
    case 'RECORDING_INCOMPLETE':
      return '有执法行为缺少须有的音像记录：请先补齐「音像记录缺口」中列出的记录。';
    default:
      return e.message;
  }
}

/** The form of a service (送达): what the officer fills in. */
export interface ServiceForm {
  documentId: string;
  method: string;
  servedOn: string;
  recipient: string;
  place: string;
  receipt: string;
}

export const SERVICE_FIELDS = ['documentId', 'method', 'servedOn', 'recipient', 'place', 'officerIds', 'receipt'] as const;

export function serviceBody(f: ServiceForm, officerIds: readonly string[]): ServiceBody {
  return {
    documentId: f.documentId,
    method: f.method as ServiceBody['method'],
    servedOn: f.servedOn,
    recipient: f.recipient.trim(),
    ...(f.place.trim() ? { place: f.place.trim() } : {}),
    officerIds: [...officerIds],
    receipt: f.receipt,
  };
}

/** The form of a statement or a waiver (陈述申辩). */
export interface StatementForm {
  kind: string;
  receivedOn: string;
  channel: string;
  text: string;
}

export const STATEMENT_FIELDS = ['kind', 'receivedOn', 'channel', 'text'] as const;

export const statementBody = (f: StatementForm): StatementBody => ({ kind: f.kind as StatementBody['kind'], receivedOn: f.receivedOn, channel: f.channel as StatementBody['channel'], text: f.text, evidenceIds: [] });

/** A waiver's usual wording, offered when the officer picks 书面放弃. */
export const WAIVER_TEXT = '本人（单位）对拟作出的行政处罚无异议，放弃陈述、申辩和听证的权利。';

/** The materials submitted with a review (L1): one per line, blank lines dropped. */
export const materialsOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

export const DEFAULT_MATERIALS = ['决定书草稿', '证据清单', '调查终结报告'].join('\n');
