/**
 * What infra needs to know about the scheduled jobs of shared/schedules.ts beyond the list itself: the
 * synth-time check of each schedule and of the `invokedBy: 'schedule'` functions, and which functions the
 * schedules invoke. Pure data and checks.
 *
 * In AWS each schedule is an EventBridge Scheduler schedule in the API stack
 * (infra/constructs/job-schedules.ts); local mode fires the same list (local/scheduler.ts).
 */
import { parseCron } from '../shared/domain/cron.ts';
import { functions, routes } from '../shared/manifest.ts';
import type { FunctionId, FunctionSpec, RouteSpec } from '../shared/manifest.ts';
import { schedules } from '../shared/schedules.ts';
import type { ScheduleSpec } from '../shared/schedules.ts';

/** EventBridge Scheduler's limit on a schedule's description. */
export const MAX_DESCRIPTION_LENGTH = 512;

/**
 * Refuses a schedule that could not run as written: a duplicate or malformed id, a function the
 * manifest does not have, a cron expression that `parseCron` (the local scheduler's parser, which
 * accepts a subset of EventBridge Scheduler's syntax) does not accept, or a description EventBridge
 * Scheduler would refuse.
 */
export function checkSchedules(specs: readonly ScheduleSpec[] = schedules, functionSpecs: readonly FunctionSpec[] = functions): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.id)) throw new Error(`Schedule id ${JSON.stringify(spec.id)} is not lower-case letters, digits and hyphens`);
    if (seen.has(spec.id)) throw new Error(`Schedule ${spec.id} is listed twice in shared/schedules.ts`);
    seen.add(spec.id);
    if (!functionSpecs.some((f) => f.id === spec.fn)) {
      throw new Error(`Schedule ${spec.id} names function ${JSON.stringify(spec.fn)}, which shared/manifest.ts does not have`);
    }
    try {
      parseCron(spec.cron);
    } catch (error) {
      throw new Error(`Schedule ${spec.id}: ${JSON.stringify(spec.cron)} is not a cron expression we can run (${(error as Error).message})`);
    }
    if (spec.description.trim() === '' || spec.description.length > MAX_DESCRIPTION_LENGTH) {
      throw new Error(`Schedule ${spec.id}: the description must be 1-${MAX_DESCRIPTION_LENGTH} characters`);
    }
  }
}

/**
 * Refuses an `invokedBy: 'schedule'` function that could be reached otherwise or not at all: a route
 * naming it (its events are ScheduledEvents, not HTTP requests, and API Gateway must not be able to invoke
 * it), or no schedule of shared/schedules.ts naming it (it would never run, and would have no dead-letter
 * queue for failed runs).
 */
export function checkScheduledFunctions(
  functionSpecs: readonly FunctionSpec[] = functions,
  routeSpecs: readonly RouteSpec[] = routes,
  specs: readonly ScheduleSpec[] = schedules,
): void {
  for (const spec of functionSpecs) {
    if (spec.invokedBy !== 'schedule') continue;
    const routed = routeSpecs.filter((r) => r.fn === spec.id);
    if (routed.length > 0) {
      throw new Error(`Function ${spec.id} is invoked only by schedules, yet routes name it: ${routed.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    }
    if (!specs.some((s) => s.fn === spec.id)) {
      throw new Error(`Function ${spec.id} is invokedBy: 'schedule', but no schedule of shared/schedules.ts names it`);
    }
  }
}

/** The functions some schedule invokes, each once, in the order of the schedules. */
export const scheduledFunctions = (specs: readonly ScheduleSpec[] = schedules): FunctionId[] => [...new Set(specs.map((s) => s.fn))];

/**
 * Which dead-letter queue a function's asynchronous invocations (EventBridge's and EventBridge
 * Scheduler's) fail into once Lambda's retries are spent: an object-event function has its own (its
 * scheduled runs use it too); any other scheduled function uses the job schedules' queue; a function
 * nothing invokes asynchronously has none.
 */
export function asyncDeadLetterQueueOf(spec: FunctionSpec, specs: readonly ScheduleSpec[] = schedules): 'own' | 'job-schedules' | undefined {
  if (spec.invokedBy === 's3') return 'own';
  return specs.some((s) => s.fn === spec.id) ? 'job-schedules' : undefined;
}
