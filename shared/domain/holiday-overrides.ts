/**
 * Official PRC holiday arrangements (国务院办公厅关于 YYYY 年部分节假日安排的通知) that the bundled
 * `chinese-days` package does not hold yet (D7, N4, N9, N10). The package stops at the last year it was
 * published for; the State Council publishes the next year's notice around November, and every
 * working-day deadline that reaches into that year is refused (HOLIDAY_DATA_MISSING) until the year
 * is either in the package or here. Adding the year here is the operator's fix; it needs a deploy,
 * not a package upgrade.
 *
 * Format: one entry per notice year, transcribed from the notice as published:
 *
 *   {
 *     year: 2027,
 *     notice: '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）',
 *     festivals: [
 *       // "X月X日至X日放假调休，共N天。X月X日（周六）上班。"
 *       { name: '元旦', off: ['2027-01-01', '2027-01-03'], work: [] },
 *       { name: '春节', off: ['2027-02-06', '2027-02-14'], work: ['2027-01-31', '2027-02-20'] },
 *       ...
 *     ],
 *   },
 *
 * - `off` is an inclusive range [first, last] of days off (放假); weekend days inside it are listed
 *   under the festival's name in the "how the due date was computed" view.
 * - `work` lists the adjusted working days (调休上班); they must be a Saturday or Sunday.
 * - Dates are `YYYY-MM-DD`, in the notice year or in the last days of December before it (a New Year
 *   arrangement can move 29–31 December of the previous year).
 * - `name` is shown to users as written (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节; a combined
 *   holiday such as 国庆节、中秋节 may be written that way).
 * - Days not listed follow the normal week: Monday–Friday working, Saturday and Sunday off.
 *
 * The calendar validates this file when it loads (a malformed entry fails the unit tests and start-up,
 * never a deadline). Once a `chinese-days` release covers the year, delete the entry here: the unit
 * tests flag an entry that disagrees with the package.
 *
 * The entries below are data, not examples: only add a year from the published notice.
 */

/** One festival of a notice: its days off and the weekend days worked in exchange. */
export interface FestivalArrangement {
  /** Festival name as users should read it, e.g. '国庆节'. */
  readonly name: string;
  /** Inclusive range of days off: [first, last]. */
  readonly off: readonly [first: string, last: string];
  /** Adjusted working days (调休上班), each a Saturday or Sunday. */
  readonly work: readonly string[];
}

/** A year's official arrangement, as published by the State Council's General Office. */
export interface HolidayArrangement {
  readonly year: number;
  /** Title and document number (or URL) of the notice, so a reviewer can check the transcription. */
  readonly notice: string;
  readonly festivals: readonly FestivalArrangement[];
}

export const HOLIDAY_OVERRIDES: readonly HolidayArrangement[] = [];
