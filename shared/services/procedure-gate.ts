/**
 * The procedure's gate at issue (P1, P2): kept apart from procedure.ts so that issuing a decision does
 * not load the document code.
 */
import type { Case } from '../domain/case.ts';
import { shanghaiToday } from '../domain/dates.ts';
import { BusinessRuleError, ConflictError } from '../domain/errors.ts';
import { heavierThanNotified, needsPriorNotice, noticeGateProblem, noticePeriodEnd } from '../domain/procedure.ts';
import { addCalendarDays } from '../domain/working-days.ts';

const nextDay = (date: string): string => addCalendarDays(date, 1);
import type { NoticeState, Statement } from '../domain/procedure.ts';
import type { Decision } from '../domain/decision-record.ts';
import { statementsOf } from '../store/cases.ts';
import { hearingGateProblem } from '../domain/hearing-state.ts';
import type { ActionContext } from './context.ts';

/**
 * Whether a general-procedure penalty may be issued now: the notice served and its period over (or
 * waived), every statement answered, and nothing heavier than notified. Throws the first problem.
 */
export async function assertProcedureAllowsIssue(c: Case, d: Decision, ctx: ActionContext): Promise<readonly Statement[]> {
  if (!needsPriorNotice(d.draft)) return [];
  // P3: a requested hearing is held or withdrawn first; a held one is in the draft (its review scope).
  const hearing = hearingGateProblem(c.hearing, d.draft.hearingHeld);
  if (hearing) throw new ConflictError(hearing.code, hearing.message, [{ path: hearing.code === 'HEARING_PENDING' ? 'hearing' : 'draft.hearingHeld', message: hearing.message }]);
  const problem = noticeGateProblem(c.notice, shanghaiToday(ctx.now ?? new Date()));
  if (problem) {
    throw new ConflictError(problem.code, problem.message, problem.code === 'NOTICE_PERIOD_OPEN' ? [{ path: 'notice', message: `期限至 ${problem.endsOn}`, endsOn: problem.endsOn }] : []);
  }
  const notice = c.notice as NoticeState;
  // The decision is dated after the party's time to answer, never inside it.
  const earliest = notice.waivedOn ?? nextDay(noticePeriodEnd(notice));
  if (d.draft.decisionDate < earliest) {
    throw new BusinessRuleError(
      'DECISION_DATE_IN_NOTICE_PERIOD',
      `决定日期 ${d.draft.decisionDate} 早于${notice.waivedOn ? `当事人书面放弃陈述、申辩的日期 ${notice.waivedOn}` : `陈述、申辩期限届满后的 ${earliest}`}：请修改决定草稿的决定日期`,
      [{ path: 'draft.decisionDate', message: `不早于 ${earliest}` }],
    );
  }
  const heavier = heavierThanNotified(notice.proposed, d.draft);
  if (heavier.length) {
    throw new ConflictError(
      'HEAVIER_THAN_NOTIFIED',
      `拟作出的处罚重于告知书 ${notice.documentNo} 告知的处罚：${heavier.join('；')}。不得因当事人陈述、申辩而给予更重的处罚，须重新告知（APL 第四十五条）`,
      heavier.map((message) => ({ path: 'draft', message })),
    );
  }
  const statements = await statementsOf(c.id);
  const unanswered = statements.filter((s) => s.kind === 'STATEMENT' && !s.response);
  if (unanswered.length) {
    throw new ConflictError(
      'STATEMENT_UNANSWERED',
      `当事人的 ${unanswered.length} 份陈述、申辩尚无书面复核意见（P2）`,
      unanswered.map((s) => ({ path: `statements/${s.id}`, message: `${s.receivedOn} 收到`, statementId: s.id })),
    );
  }
  // The 决定书 states them: returned so that issuing does not read them again.
  return statements;
}
