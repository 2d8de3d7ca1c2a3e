/**
 * Official PRC holiday arrangements (国务院办公厅关于 YYYY 年部分节假日安排的通知) shipped with the code
 * for years the bundled `chinese-days` package does not hold (D7, N4, N9, N10).
 *
 * The usual way to add a year is at run time, without a deploy: an administrator enters the notice
 * with `PUT /calendar/{year}` or `npm run calendar -- import 2027.json` (versioned, audited; see the
 * README). An entered year wins over this file and the package. This file is for arrangements that
 * should ship with the code (a fresh installation); it uses the same format and the same validation
 * (`arrangementProblems` in working-days.ts) as the route, so a JSON file for the CLI can be pasted
 * here unchanged:
 *
 *   {
 *     year: 2027,
 *     notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', documentNo: '国办发明电〔2026〕N号' },
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
 * - Dates are `YYYY-MM-DD`, in the notice year or in 25–31 December before it (a New Year
 *   arrangement can move 29–31 December of the previous year); no date in two festivals.
 * - `name` is shown to users as written (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节; a combined
 *   holiday such as 国庆节、中秋节 may be written that way); each name once per year.
 * - Days not listed follow the normal week: Monday–Friday working, Saturday and Sunday off.
 * - A year's arrangement replaces the package's days of that year as a whole.
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

/** The notice an arrangement was transcribed from, so that a reviewer can check the transcription. */
export interface HolidayNotice {
  /** e.g. '国务院办公厅关于2027年部分节假日安排的通知'. */
  readonly title: string;
  /** e.g. '国办发明电〔2026〕7号'. */
  readonly documentNo: string;
}

/** A year's official arrangement, as published by the State Council's General Office. */
export interface HolidayArrangement {
  readonly year: number;
  readonly notice: HolidayNotice;
  readonly festivals: readonly FestivalArrangement[];
}

export const HOLIDAY_OVERRIDES: readonly HolidayArrangement[] = [];
