/**
 * Dates that cannot be true (issue 11, point 3): the relations between the dates of a case and its
 * decision, and "not in the future" for what someone says has happened.
 *
 * Two layers, on purpose:
 * - the request schemas (shared/domain/dates.ts `calendarDate`, `instant`) answer 400 for what is not a
 *   date at all, or an absurd one (year 0000 or 9999, outside 2000–2100);
 * - these rules answer 422 with a code naming the rule for a well-formed date that contradicts the
 *   clock or another date of the case (a filing dated next year, a publication before its decision).
 *
 * Pure functions: "today" and "now" are arguments, so the services pass their context's clock and tests
 * fix the date. Each returns the violation or undefined; `assertDates` throws the first one.
 */
import { CLOCK_SKEW_MS, shanghaiDateTime, shanghaiToday } from './dates.ts';
import { BusinessRuleError } from './errors.ts';

export type DateRuleCode =
  | 'FILING_DATE_IN_FUTURE'
  | 'DECISION_BEFORE_FILING'
  | 'DECISION_DATE_IN_FUTURE'
  | 'PUBLISHED_BEFORE_DECISION'
  | 'CORRECTED_BEFORE_DECISION'
  | 'CHANGE_BEFORE_DECISION'
  | 'CHANGE_DATE_IN_FUTURE'
  | 'ACT_BEFORE_FILING'
  | 'ACT_IN_FUTURE';

export interface DateRuleViolation {
  readonly code: DateRuleCode;
  /** zh-CN, naming the dates compared. */
  readonly message: string;
  /** The request field at fault. */
  readonly path: string;
  /** The values compared, for the error's details. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * The latest calendar date a person may say something happened on: today in Asia/Shanghai at `now`
 * plus the tolerated clock skew (a client a few minutes ahead just after midnight is not refused).
 */
export const latestPastDate = (now: Date, skewMs = CLOCK_SKEW_MS): string => shanghaiToday(new Date(now.getTime() + skewMs));

/** Filing date (立案日期) not after today. */
export function filingDateProblem(filingDate: string, latest: string): DateRuleViolation | undefined {
  if (filingDate <= latest) return undefined;
  return {
    code: 'FILING_DATE_IN_FUTURE',
    message: `立案日期 ${filingDate} 晚于今天（${latest}），不能为尚未到来的日期立案`,
    path: 'body.filingDate',
    values: { filingDate, today: latest },
  };
}

/** Decision date not before the case's filing date (drafting: `body.decisionDate`; issuing: the draft's). */
export function decisionBeforeFilingProblem(decisionDate: string, filingDate: string, path = 'decisionDate'): DateRuleViolation | undefined {
  if (decisionDate >= filingDate) return undefined;
  return {
    code: 'DECISION_BEFORE_FILING',
    message: `决定日期 ${decisionDate} 早于立案日期 ${filingDate}`,
    path,
    values: { decisionDate, filingDate },
  };
}

/**
 * At issue, the decision date is not after today. A draft may carry a planned date; issuing it makes the
 * decision today, by our own clock (no skew: no client's clock is involved).
 */
export function decisionDateAtIssueProblem(decisionDate: string, today: string): DateRuleViolation | undefined {
  if (decisionDate <= today) return undefined;
  return {
    code: 'DECISION_DATE_IN_FUTURE',
    message: `决定日期 ${decisionDate} 晚于今天（${today}），不能作出尚未到日期的决定`,
    path: 'decisionDate',
    values: { decisionDate, today },
  };
}

/** A decision is published (公示) on or after its own date. */
export function publicationDateProblem(publicationDate: string, decisionDate: string): DateRuleViolation | undefined {
  if (publicationDate >= decisionDate) return undefined;
  return {
    code: 'PUBLISHED_BEFORE_DECISION',
    message: `公示日期 ${publicationDate} 早于决定日期 ${decisionDate}，不能公示尚未作出的决定`,
    path: 'decisionDate',
    values: { publicationDate, decisionDate },
  };
}

/** A correction (更正) republishes the record: not before the decision's own date either. */
export function correctionDateProblem(correctionDate: string, decisionDate: string): DateRuleViolation | undefined {
  if (correctionDate >= decisionDate) return undefined;
  return {
    code: 'CORRECTED_BEFORE_DECISION',
    message: `更正日期 ${correctionDate} 早于决定日期 ${decisionDate}`,
    path: 'decisionDate',
    values: { correctionDate, decisionDate },
  };
}

/**
 * The date a decision was changed, revoked or found unlawful (recorded change and withdrawal, N4): not
 * before the decision it changes, not after today.
 */
export function changeDateProblem(changedOn: string, decisionDate: string, latest: string): DateRuleViolation | undefined {
  if (changedOn < decisionDate) {
    return {
      code: 'CHANGE_BEFORE_DECISION',
      message: `变更、撤销日期 ${changedOn} 早于决定日期 ${decisionDate}：决定不能在作出之前被变更或撤销`,
      path: 'body.changedOn',
      values: { changedOn, decisionDate },
    };
  }
  if (changedOn > latest) {
    return {
      code: 'CHANGE_DATE_IN_FUTURE',
      message: `变更、撤销日期 ${changedOn} 晚于今天（${latest}）`,
      path: 'body.changedOn',
      values: { changedOn, today: latest },
    };
  }
  return undefined;
}

export interface ActInstant {
  /** ISO-8601 instant with offset, as the schema accepted it. */
  readonly at: string;
  /**
   * Whether the act may precede the filing: an on-site inspection (现场检查) is how a violation is
   * usually found, so it comes before the case is filed.
   */
  readonly mayPrecedeFiling: boolean;
}

/** An act (执法行为) happened between the filing date and now (plus the tolerated clock skew). */
export function actInstantProblem(act: ActInstant, filingDate: string, now: Date, skewMs = CLOCK_SKEW_MS): DateRuleViolation | undefined {
  const latest = new Date(now.getTime() + skewMs);
  if (Date.parse(act.at) > latest.getTime()) {
    return {
      code: 'ACT_IN_FUTURE',
      message: `执法行为时间 ${act.at} 晚于当前时间（北京时间 ${shanghaiDateTime(now).replace('T', ' ')}）`,
      path: 'body.at',
      values: { at: act.at, now: now.toISOString() },
    };
  }
  // Compared as calendar dates in Shanghai: an act on the filing day is fine at any hour.
  const date = shanghaiToday(new Date(act.at));
  if (!act.mayPrecedeFiling && date < filingDate) {
    return {
      code: 'ACT_BEFORE_FILING',
      message: `执法行为时间 ${act.at}（${date}）早于立案日期 ${filingDate}`,
      path: 'body.at',
      values: { at: act.at, date, filingDate },
    };
  }
  return undefined;
}

/** Throws the first violation as a 422 naming its rule; nothing is written after it. */
export function assertDates(...problems: readonly (DateRuleViolation | undefined)[]): void {
  const problem = problems.find((p): p is DateRuleViolation => p !== undefined);
  if (problem) throw new BusinessRuleError(problem.code, problem.message, [{ path: problem.path, message: problem.message, ...problem.values }]);
}
