/**
 * Lint of statemachines/legal-review.asl.json (L1–L7, N8–N10): the rules a reviewer would otherwise
 * check by eye, against the contract in shared/domain/review-workflow.ts. Reads the real file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { loadStateMachine, placeholdersOf, stateMachinePath } from '../../local/workflows.ts';
import {
  COORDINATION_RESPONSES,
  ESCALATION_REASONS,
  ESCALATION_STATES,
  HUMAN_STEPS,
  HUMAN_STEP_HEARTBEAT_SECONDS,
  HUMAN_STEP_TIMEOUT_SECONDS,
  LAMBDA_TASK_TIMEOUT_SECONDS,
  LEADER_DECISIONS,
  OPINION_OUTCOMES,
  REVIEW_TASKS,
  REVIEW_WORKFLOW_NAME,
  REVIEW_WORKFLOW_PLACEHOLDERS,
  STATE_TASKS,
  TERMINAL_STATES,
  WORKFLOW_STATES,
  isCallbackTask,
  withTaskTimeouts,
  type ReviewTask,
} from '../../shared/domain/review-workflow.ts';
import { DEFAULT_REVIEW_CATALOGUE_CONTENT } from '../../shared/domain/review-catalogue.ts';
import { addCalendarDays, addWorkingDays, workingDayCalendar } from '../../shared/domain/working-days.ts';

type Json = Record<string, unknown>;
interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}
interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}
interface State extends Json {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Json[];
  Catch?: Catcher[];
  Retry?: Retrier[];
  Resource?: string;
  TimeoutSeconds?: unknown;
  HeartbeatSeconds?: unknown;
  Parameters?: { FunctionName?: string; Payload?: Json };
  ResultPath?: string | null;
}

const TEXT = readFileSync(stateMachinePath(REVIEW_WORKFLOW_NAME), 'utf8');
const DEF = JSON.parse(TEXT) as { StartAt: string; States: Record<string, State>; [k: string]: unknown };
const STATES = Object.entries(DEF.States);
const TASKS = STATES.filter(([, s]) => s.Type === 'Task');
const INVOKE = 'arn:aws:states:::lambda:invoke';
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const isCallback = (s: State) => s.Resource === CALLBACK;
const LAMBDA_SERVICE_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

/** Every `Next`-like target of a state: Next, Default, each Choice rule's Next, each catcher's Next. */
function targets(s: State): string[] {
  return [
    ...(s.Next === undefined ? [] : [s.Next]),
    ...(s.Default === undefined ? [] : [s.Default]),
    ...(s.Choices ?? []).map((c) => c['Next'] as string),
    ...(s.Catch ?? []).map((c) => c.Next),
  ];
}

/** Every (key, value) pair anywhere in the definition. */
function* entries(value: unknown, path = '$'): Generator<[string, string, unknown]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* entries(v, `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      yield [path, k, v];
      yield* entries(v, `${path}.${k}`);
    }
  }
}

/** Choice rules testing `variable` with StringEquals, anywhere in the state's rules (And/Or/Not included). */
function stringsTested(variable: string): Set<string> {
  const found = new Set<string>();
  for (const [, s] of STATES) {
    if (s.Type !== 'Choice') continue;
    const visit = (rule: Json) => {
      if (rule['Variable'] === variable && typeof rule['StringEquals'] === 'string') found.add(rule['StringEquals']);
      for (const key of ['And', 'Or'] as const) for (const r of (rule[key] as Json[] | undefined) ?? []) visit(r);
      if (rule['Not'] !== undefined) visit(rule['Not'] as Json);
    };
    for (const rule of s.Choices ?? []) visit(rule);
  }
  return found;
}

describe('legal-review.asl.json: form', () => {
  it('is JSON with exactly the documented placeholders, and loads once they are substituted', () => {
    expect(placeholdersOf(TEXT)).toEqual([...REVIEW_WORKFLOW_PLACEHOLDERS].sort());
    expect(() => loadStateMachine(REVIEW_WORKFLOW_NAME, {})).toThrow(/ReviewTaskFunctionArn/);
    const arn = 'arn:aws:lambda:cn-north-1:123456789012:function:review-task';
    const loaded = loadStateMachine(REVIEW_WORKFLOW_NAME, { ReviewTaskFunctionArn: arn });
    expect(JSON.stringify(loaded)).not.toContain('${');
    for (const [name] of TASKS) expect((loaded.States[name] as unknown as State).Parameters?.FunctionName).toBe(arn);
  });

  it('passes the engine’s validation (asl-validator, ARNs and paths checked)', () => {
    const loaded = loadStateMachine(REVIEW_WORKFLOW_NAME, { ReviewTaskFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:review-task' });
    expect(() => new StateMachine(loaded)).not.toThrow();
  });

  it('is JSONPath only: no QueryLanguage, Assign, Arguments, Output or JSONata expressions', () => {
    const jsonata = ['QueryLanguage', 'Assign', 'Arguments', 'Output', 'Items', 'Condition'];
    const found: string[] = [];
    for (const [path, key, value] of entries(DEF)) {
      if (jsonata.includes(key)) found.push(`${path}.${key}`);
      if (typeof value === 'string' && value.includes('{%')) found.push(`${path}.${key}`);
    }
    expect(found).toEqual([]);
  });

  it('reads the context object only for the execution id and, in callbacks, the task token', () => {
    const uses = [...entries(DEF)].filter(([, , v]) => typeof v === 'string' && v.startsWith('$$')).map(([, , v]) => v);
    expect(new Set(uses)).toEqual(new Set(['$$.Execution.Id', '$$.Task.Token']));
  });

  it('has exactly the states of the contract, all reachable from StartAt, every target existing, none a trap', () => {
    expect(Object.keys(DEF.States).sort()).toEqual(Object.keys(WORKFLOW_STATES).sort());
    expect(DEF.StartAt).toBe(WORKFLOW_STATES.CheckScope);
    for (const [name, s] of STATES) {
      for (const t of targets(s)) expect(DEF.States[t], `${name} → ${t}`).toBeDefined();
      if (s.Type === 'Choice') expect(s.Default, `${name} has a Default`).toBeDefined();
      if (!['Choice', 'Succeed', 'Fail'].includes(s.Type)) expect(s.Next !== undefined || s.End === true, `${name} continues or ends`).toBe(true);
    }
    const reachable = new Set<string>([DEF.StartAt]);
    const queue = [DEF.StartAt];
    while (queue.length > 0) {
      for (const t of targets(DEF.States[queue.shift() as string] as State)) {
        if (!reachable.has(t)) {
          reachable.add(t);
          queue.push(t);
        }
      }
    }
    expect([...reachable].sort()).toEqual(Object.keys(DEF.States).sort());
    // From every state some terminal state can be reached (no cycle without a way out).
    const terminal = STATES.filter(([, s]) => s.Type === 'Succeed' || s.Type === 'Fail' || s.End === true).map(([n]) => n);
    expect(terminal.sort()).toEqual(Object.keys(TERMINAL_STATES).sort());
    for (const [name] of STATES) {
      const seen = new Set([name]);
      const todo = [name];
      let ends = false;
      while (todo.length > 0 && !ends) {
        const n = todo.shift() as string;
        if (terminal.includes(n)) ends = true;
        for (const t of targets(DEF.States[n] as State)) {
          if (!seen.has(t)) {
            seen.add(t);
            todo.push(t);
          }
        }
      }
      expect(ends, `${name} can end`).toBe(true);
    }
    for (const [name, kind] of Object.entries(TERMINAL_STATES)) expect(DEF.States[name]?.Type).toBe(kind === 'SUCCEEDED' ? 'Succeed' : 'Fail');
  });
});

describe('legal-review.asl.json: tasks', () => {
  it('invokes the one review function through the Lambda integration, with the contract’s payload', () => {
    expect(TASKS.map(([n]) => n).sort()).toEqual(Object.keys(STATE_TASKS).sort());
    const used = new Set<ReviewTask>();
    for (const [name, s] of TASKS) {
      const task = STATE_TASKS[name as keyof typeof STATE_TASKS];
      used.add(task);
      expect(s.Resource, name).toBe(isCallbackTask(task) ? CALLBACK : INVOKE);
      expect(s.Parameters?.FunctionName, name).toBe('${ReviewTaskFunctionArn}');
      const payload = s.Parameters?.Payload ?? {};
      expect(payload['task'], name).toBe(task);
      expect(payload['step'], name).toBe(name);
      expect(payload['reviewId.$'], name).toBe('$.reviewId');
      expect(payload['executionId.$'], name).toBe('$$.Execution.Id');
      if (isCallback(s)) expect(payload['taskToken.$'], name).toBe('$$.Task.Token');
      else expect(JSON.stringify(s), name).not.toContain('$$.Task.Token');
    }
    expect([...used].sort()).toEqual([...REVIEW_TASKS].sort());
  });

  it('every Task has TimeoutSeconds; every callback HeartbeatSeconds below it; Lambda tasks none', () => {
    for (const [name, s] of TASKS) {
      expect(Number.isInteger(s.TimeoutSeconds) && (s.TimeoutSeconds as number) >= 1, `${name}.TimeoutSeconds`).toBe(true);
      expect(s['TimeoutSecondsPath'], name).toBeUndefined();
      if (isCallback(s)) {
        expect(Number.isInteger(s.HeartbeatSeconds), `${name}.HeartbeatSeconds`).toBe(true);
        expect(s.HeartbeatSeconds as number, name).toBeLessThan(s.TimeoutSeconds as number);
        expect([s.TimeoutSeconds, s.HeartbeatSeconds], name).toEqual([HUMAN_STEP_TIMEOUT_SECONDS, HUMAN_STEP_HEARTBEAT_SECONDS]);
      } else {
        expect(s.HeartbeatSeconds, name).toBeUndefined();
        expect(s.TimeoutSeconds, name).toBe(LAMBDA_TASK_TIMEOUT_SECONDS);
      }
    }
    expect(TASKS.filter(([, s]) => isCallback(s)).map(([n]) => n).sort()).toEqual([...HUMAN_STEPS].sort());
  });

  it('every Task retries the four Lambda service exceptions (and only transient errors)', () => {
    for (const [name, s] of TASKS) {
      const retriers = s.Retry ?? [];
      const covering = retriers.find((r) => LAMBDA_SERVICE_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect(covering, `${name} retries ${LAMBDA_SERVICE_ERRORS.join(', ')}`).toBeDefined();
      expect(covering?.MaxAttempts ?? 3, name).toBeGreaterThanOrEqual(1);
      for (const r of retriers) {
        for (const e of r.ErrorEquals) expect(e, `${name} retries only Lambda service errors`).toMatch(/^Lambda\./);
      }
    }
  });

  it('every Task has a Catch: failures go to RecordFailure, which itself falls through to the Fail state', () => {
    for (const [name, s] of TASKS) {
      const catchers = s.Catch ?? [];
      expect(catchers.length, `${name} has a Catch`).toBeGreaterThan(0);
      const last = catchers.at(-1) as Catcher;
      expect(last.ErrorEquals, name).toEqual(['States.ALL']);
      if (name === WORKFLOW_STATES.RecordFailure) {
        expect(DEF.States[last.Next]?.Type, 'RecordFailure catches into a Fail state').toBe('Fail');
        expect(s.Next).toBe(last.Next);
        expect(last.ResultPath, 'keeps the original $.failure').not.toBe('$.failure');
      } else {
        expect(last.Next, name).toBe(WORKFLOW_STATES.RecordFailure);
        expect(last.ResultPath, name).toBe('$.failure');
      }
    }
    expect(DEF.States['Failed']).toMatchObject({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
  });

  it('a human step’s timeout or lost heartbeat is escalated, and the escalation returns to the same step', () => {
    for (const step of HUMAN_STEPS) {
      const s = DEF.States[step] as State;
      const first = (s.Catch ?? [])[0] as Catcher;
      expect([...first.ErrorEquals].sort(), step).toEqual([...ESCALATION_REASONS].sort());
      expect(first.Next, step).toBe(ESCALATION_STATES[step]);
      expect(first.ResultPath, step).toBe('$.timeout');
      const escalation = DEF.States[first.Next] as State;
      expect(escalation.Next, `${first.Next} returns to ${step}`).toBe(step);
      expect(escalation.Parameters?.Payload).toMatchObject({ task: 'escalate', timedOutStep: step, 'reason.$': '$.timeout.Error' });
    }
  });

  it('keeps $.reviewId: every Task writes its result under its own path, none replaces the state', () => {
    const paths = new Set<string>();
    for (const [name, s] of TASKS) {
      expect('ResultPath' in s, `${name} sets ResultPath`).toBe(true);
      expect(s.ResultPath, name).not.toBe('$');
      for (const field of ['InputPath', 'OutputPath']) expect(s[field], `${name}.${field}`).toBeUndefined();
      if (typeof s.ResultPath === 'string') {
        expect(s.ResultPath, name).toMatch(/^\$\.[a-zA-Z]+$/);
        expect(s.ResultPath).not.toBe('$.reviewId');
        paths.add(s.ResultPath);
      }
      if (!isCallback(s) && s.ResultSelector !== undefined) {
        for (const v of Object.values(s.ResultSelector as Json)) expect(v, name).toMatch(/^\$\.Payload\./);
      }
    }
    expect(paths).toContain('$.opinion');
  });

  it('routes on exactly the contract’s outcome values', () => {
    expect(stringsTested('$.opinion.outcome')).toEqual(new Set(OPINION_OUTCOMES));
    expect(stringsTested('$.coordination.handlingDivision')).toEqual(new Set(COORDINATION_RESPONSES));
    expect(stringsTested('$.approval.decision')).toEqual(new Set(LEADER_DECISIONS));
  });
});

describe('timeouts of the human steps', () => {
  it('the opinion timer never fires before the N9 deadline (10 working days) on the official calendars', () => {
    const days = DEFAULT_REVIEW_CATALOGUE_CONTENT.opinionWorkingDays;
    const lastYear = workingDayCalendar.coveredYears.at(-1) as number;
    let longest = 0;
    // Starting any day of the covered years (from 2010) whose deadline is still covered by the data.
    for (let start = '2010-01-01'; start <= `${lastYear}-11-30`; start = addCalendarDays(start, 1)) {
      const { dueDate } = addWorkingDays(start, days);
      longest = Math.max(longest, (Date.parse(dueDate) - Date.parse(start)) / 86_400_000);
    }
    // Started at any time of the start day, the opinion is due by the end of the due date.
    expect(HUMAN_STEP_TIMEOUT_SECONDS).toBeGreaterThanOrEqual((longest + 1) * 86_400);
    expect(HUMAN_STEP_TIMEOUT_SECONDS).toBeLessThanOrEqual((longest + 2) * 86_400);
    // The local engine cannot time beyond 2^31 ms.
    expect(HUMAN_STEP_TIMEOUT_SECONDS * 1000).toBeLessThan(2 ** 31);
    expect(HUMAN_STEP_HEARTBEAT_SECONDS).toBeGreaterThanOrEqual(2 * 86_400); // one missed daily heartbeat tolerated
  });

  it('withTaskTimeouts overrides literals and refuses what AWS would', () => {
    const def = DEF as unknown as StateMachineDefinition;
    const longer = withTaskTimeouts(def, { AwaitOpinion: { TimeoutSeconds: 40 * 86_400 } });
    expect((longer.States['AwaitOpinion'] as unknown as State).TimeoutSeconds).toBe(40 * 86_400);
    expect((DEF.States['AwaitOpinion'] as State).TimeoutSeconds).toBe(HUMAN_STEP_TIMEOUT_SECONDS); // not mutated
    expect(() => withTaskTimeouts(def, { AwaitOpinion: { HeartbeatSeconds: HUMAN_STEP_TIMEOUT_SECONDS } })).toThrow(/below/);
    expect(() => withTaskTimeouts(def, { OpinionDecision: { TimeoutSeconds: 10 } })).toThrow(/not a Task/);
    expect(() => withTaskTimeouts(def, { Nope: { TimeoutSeconds: 10 } })).toThrow(/no state/);
    expect(() => withTaskTimeouts(def, { CheckScope: { TimeoutSeconds: 0.5 } })).toThrow(/positive integer/);
  });
});
