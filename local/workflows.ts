/**
 * Local Step Functions: runs the same `statemachines/*.asl.json` that CDK deploys, with
 * aws-local-stepfunctions 3, in this process, against the same task handler code.
 *
 * What the engine does: JSONPath, Choice, Pass, Succeed/Fail, Retry/Catch, Parameters/ResultSelector/
 * ResultPath, and its own task timeout. What it does not, and this module adds:
 *
 * - **Task resources.** The engine keys local handlers by state name and would otherwise call AWS Lambda.
 *   Every Task state is routed here to `taskHandler(payload)`: for `arn:aws:states:::lambda:invoke[...]`
 *   the payload is `Parameters.Payload` and the result is wrapped as the service integration returns it
 *   (`{ Payload, StatusCode: 200, ExecutedVersion }`), so `ResultSelector: { "x.$": "$.Payload.x" }`
 *   behaves as in AWS; a thrown error fails the task with the error's `name` as `Error` (so a fake can
 *   throw `Lambda.ServiceException` to exercise Retry) and a Lambda-style JSON `Cause`.
 * - **Task tokens** (`.waitForTaskToken`). `$$.Task.Token` exists only if the context has it: the
 *   context given to the engine has a `Task.Token` getter that mints a fresh token each time a state's
 *   Parameters read it. The state then calls the handler (which stores the token, as the Lambda would)
 *   and waits for {@link sendTaskSuccess} / {@link sendTaskFailure}; {@link sendTaskHeartbeat} resets
 *   the heartbeat clock — the SFN API, in memory.
 * - **TimeoutSeconds / HeartbeatSeconds.** The engine knows no heartbeat, and it times tasks with one
 *   `setTimeout`, which Node fires at once beyond 2^31 ms (24.8 days). This module times every Task
 *   itself (failing it with `States.Timeout` / `States.HeartbeatTimeout`, which Catch matches by name)
 *   and gives the engine a timeout that never fires first. `timeScale` shrinks the callback (human)
 *   steps' timeouts and heartbeats so a test can see a 23-day timeout in milliseconds.
 *
 * - **Executions that survive a restart.** With {@link persistExecutionsIn} (local mode: `<DATA_DIR>/workflows/`),
 *   every execution keeps a small JSON file with the state it last entered and that state's input,
 *   rewritten at each state and removed when the execution ends or is stopped. A shutdown
 *   ({@link suspendAllExecutions}) keeps the files; {@link resumePersistedExecutions} starts each again
 *   at that state (same execution id, the definition's `StartAt` moved there), so a human step is
 *   re-entered with a fresh token that its handler stores, and what remains of its timeout still applies.
 *
 * Limitations (differences from AWS):
 * - Tokens, timers and handles are in memory: the tokens issued before a restart answer
 *   TaskTimedOut/TaskDoesNotExist afterwards (the resumed step has a new one). Without a directory
 *   (the tests' default) nothing survives the process. A state that was running when the process died
 *   is run again on resume (at-least-once, like a retried Lambda task).
 * - `TimeoutSecondsPath` / `HeartbeatSecondsPath` are refused (write literals); a Task must set
 *   `TimeoutSeconds` (the engine's default is 60 s, AWS's none). No timer beyond 2^31 ms (24.8 days).
 * - The engine's wildcard `States.TaskFailed` also matches the timeouts raised here (use `States.ALL`
 *   after the specific timeout catchers, as AWS allows).
 * - `retryIntervalMs` replaces every retrier's interval (no backoff); the engine has no `$$.State` or
 *   `$$.Task` fields besides the token, and supports no other service integration than Lambda invoke.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import { withTaskTimeouts, type TaskTimeouts } from '../shared/domain/review-workflow.ts';

// ---------------------------------------------------------------------------------------------
// Types

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LocalHandler = LocalHandlers[string];
/** The engine's JSON value type (not exported by the package). */
type JSONValue = Parameters<LocalHandler>[0];
/** The engine's event log entries (not exported by the package). */
export type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** Events this module adds for callback tasks (the token is never logged). */
export interface CallbackEvent {
  readonly type: 'CallbackStarted' | 'CallbackHeartbeat' | 'CallbackSucceeded' | 'CallbackFailed' | 'CallbackTimedOut';
  readonly timestamp: number;
  readonly state: string;
  readonly error?: string;
}
export type WorkflowEvent = EngineEvent | CallbackEvent;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionResult {
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  readonly output?: unknown;
  /** FAILED: the `Error` of the Fail state or of the uncaught error. */
  readonly error?: string;
  readonly cause?: string;
}

export interface StartExecutionOptions<P = Record<string, unknown>> {
  /** Runs every Task state (the same code the Lambda function runs); for callbacks its result is ignored. */
  readonly taskHandler: (payload: P) => Promise<unknown>;
  /** `${...}` values; default: {@link LOCAL_SUBSTITUTIONS} for the workflow. */
  readonly substitutions?: Readonly<Record<string, string>>;
  /** Other TimeoutSeconds/HeartbeatSeconds per Task state (as CDK may deploy them). */
  readonly timeoutOverrides?: Readonly<Record<string, TaskTimeouts>>;
  /** Execution name (unique, like AWS); default a UUID. */
  readonly name?: string;
  /** Multiplies the callback states' TimeoutSeconds and HeartbeatSeconds (tests: e.g. 1e-7). Default 1. */
  readonly timeScale?: number;
  /** Pause before every retry, in ms (tests: 0). Default: the retriers' own intervals. */
  readonly retryIntervalMs?: number;
  /** Wait state durations in ms, by state name (the engine's `waitTimeOverrides`). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
}

export interface ExecutionHandle {
  /** An execution ARN, as AWS would give it (`$$.Execution.Id`). */
  readonly executionId: string;
  readonly name: string;
  readonly stateMachine: string;
  readonly startedAt: string;
  /** Settles when the execution ends; never rejects. */
  readonly result: Promise<ExecutionResult>;
  /**
   * Engine events (StateEntered, ...) and callback events, appended as they arrive. The engine's reach
   * this array through its async event log, a few microtasks late: a CallbackStarted may precede the
   * StateEntered of its state. Each event has a `timestamp`.
   */
  readonly events: readonly WorkflowEvent[];
  status(): ExecutionStatus;
  /** The state the execution is in (from the events), undefined once it ended. */
  currentState(): string | undefined;
  /** Like StopExecution: pending callbacks are closed, the result is ABORTED. */
  abort(): void;
}

export interface PendingTask {
  readonly taskToken: string;
  readonly executionId: string;
  readonly state: string;
  readonly payload: unknown;
  readonly startedAt: string;
}

/** Errors of the callback API, named like the SFN API's exceptions. */
export class TaskTokenError extends Error {
  constructor(
    readonly code: 'TaskDoesNotExist' | 'TaskTimedOut' | 'InvalidOutput' | 'InvalidToken',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export class ExecutionAlreadyExists extends Error {
  override readonly name = 'ExecutionAlreadyExists';
}

// ---------------------------------------------------------------------------------------------
// Loading

const STATEMACHINES_DIR = new URL('../statemachines/', import.meta.url);
const LOCAL_REGION = 'cn-north-1';
const LOCAL_ACCOUNT = '000000000000';

/** What the placeholders stand for locally: every Task is routed in-process, so only the shape matters; the ARN names the manifest function infra maps (test/unit/route-declarations.test.ts). */
export const LOCAL_SUBSTITUTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'legal-review': { ReviewTaskFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:review-tasks` },
};

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The path of `statemachines/<name>.asl.json`. */
export function stateMachinePath(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`invalid state machine name: ${JSON.stringify(name)}`);
  return fileURLToPath(new URL(`${name}.asl.json`, STATEMACHINES_DIR));
}

/** The `${...}` placeholders a definition text uses. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/**
 * Reads `statemachines/<name>.asl.json` and substitutes its `${...}` placeholders, as CloudFormation
 * does with `DefinitionSubstitutions` (the values are JSON-escaped: placeholders stand inside strings).
 * A placeholder without a value is an error; values for other placeholders are ignored.
 */
export function loadStateMachine(name: string, substitutions: Readonly<Record<string, string>>): StateMachineDefinition {
  const text = readFileSync(stateMachinePath(name), 'utf8');
  const missing = placeholdersOf(text).filter((p) => substitutions[p] === undefined);
  if (missing.length > 0) throw new Error(`${name}.asl.json: no value for placeholder(s) ${missing.map((p) => '${' + p + '}').join(', ')}`);
  const substituted = text.replace(PLACEHOLDER, (_, key: string) => JSON.stringify(substitutions[key]).slice(1, -1));
  return JSON.parse(substituted) as StateMachineDefinition;
}

// ---------------------------------------------------------------------------------------------
// Task timing

/** setTimeout's limit: beyond it Node fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Given to the engine for every Task, so that its own timer never fires before ours. */
const ENGINE_TASK_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const MAX_OUTPUT_CHARS = 262_144;
const MAX_CLOSED_TOKENS = 100_000;

type AnyState = StateMachineDefinition['States'][string];
type TaskStateDef = Extract<AnyState, { Type: 'Task' }>;

interface TaskPlan {
  readonly callback: boolean;
  readonly lambdaInvoke: boolean;
  readonly timeoutMs: number;
  readonly heartbeatMs?: number;
  readonly timeoutSeconds: number;
}

function planTasks(definition: StateMachineDefinition, timeScale: number): Map<string, TaskPlan> {
  const plans = new Map<string, TaskPlan>();
  const visit = (states: StateMachineDefinition['States']) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') for (const branch of state.Branches) visit(branch.States);
      if (state.Type === 'Map') visit((state.ItemProcessor ?? state.Iterator)?.States ?? {});
      if (state.Type !== 'Task') continue;
      const raw = state as TaskStateDef & { HeartbeatSeconds?: number; HeartbeatSecondsPath?: string };
      if (raw.TimeoutSecondsPath !== undefined || raw.HeartbeatSecondsPath !== undefined) {
        throw new Error(`${name}: TimeoutSecondsPath/HeartbeatSecondsPath are not supported by the local runner; use literals`);
      }
      if (typeof raw.TimeoutSeconds !== 'number') {
        throw new Error(`${name}: set TimeoutSeconds explicitly (the local engine's default is 60 s, AWS has none)`);
      }
      const callback = raw.Resource.endsWith('.waitForTaskToken');
      const scale = callback ? timeScale : 1;
      const timeoutMs = raw.TimeoutSeconds * 1000 * scale;
      const heartbeatMs = raw.HeartbeatSeconds === undefined ? undefined : raw.HeartbeatSeconds * 1000 * scale;
      for (const ms of [timeoutMs, heartbeatMs]) {
        if (ms !== undefined && ms > MAX_TIMER_MS) throw new Error(`${name}: a timer of ${ms} ms exceeds what Node can time (${MAX_TIMER_MS} ms, 24.8 days)`);
      }
      plans.set(name, {
        callback,
        lambdaInvoke: raw.Resource.startsWith('arn:aws:states:::lambda:invoke'),
        timeoutMs,
        ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
        timeoutSeconds: raw.TimeoutSeconds,
      });
    }
  };
  visit(definition.States);
  return plans;
}

/** The definition the engine runs: our timers own TimeoutSeconds, so the engine's is set out of the way. */
function engineDefinition(definition: StateMachineDefinition): StateMachineDefinition {
  const rewrite = (states: StateMachineDefinition['States']): StateMachineDefinition['States'] =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        if (state.Type === 'Task') return [name, { ...state, TimeoutSeconds: ENGINE_TASK_TIMEOUT_SECONDS }];
        if (state.Type === 'Parallel') return [name, { ...state, Branches: state.Branches.map((b) => ({ ...b, States: rewrite(b.States) })) }];
        return [name, state];
      }),
    ) as StateMachineDefinition['States'];
  return { ...definition, States: rewrite(definition.States) };
}

/** An error the engine matches in Retry/Catch by its `name`; `message` becomes the `Cause`. */
class StateError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** A handler's error as the Lambda integration reports it: Error = errorType, Cause = the error JSON. */
function lambdaError(error: unknown): StateError {
  if (error instanceof StateError) return error;
  const errorType = error instanceof Error && error.name ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return new StateError(errorType, JSON.stringify({ errorType, errorMessage }));
}

function toJson(value: unknown, what: string): JSONValue {
  if (value === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TaskTokenError('InvalidOutput', `${what} is not JSON: ${(error as Error).message}`);
  }
  if (text.length > MAX_OUTPUT_CHARS) throw new TaskTokenError('InvalidOutput', `${what} is ${text.length} characters, above the ${MAX_OUTPUT_CHARS} Step Functions allows`);
  return JSON.parse(text) as JSONValue;
}

// ---------------------------------------------------------------------------------------------
// Executions and the pending-token registry (in memory)

interface PendingEntry extends PendingTask {
  readonly execution: ExecutionRecord;
  readonly plan: TaskPlan;
  heartbeatTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
  settle(outcome: { ok: true; value: JSONValue } | { ok: false; error: Error }): void;
}

interface ExecutionRecord {
  readonly executionId: string;
  handle?: ExecutionHandle;
  readonly input: string;
  /** What a resume needs besides the state (see PersistedExecution). */
  readonly persisted: Omit<PersistedExecution, 'state' | 'stateInput' | 'callbackDeadline'>;
  /** The state last entered, with its input (from the engine's events). */
  lastEntered?: { state: string; input: JSONValue };
  /** When the waiting callback state times out (epoch ms), to carry the rest of it over a restart. */
  callbackDeadline?: { state: string; at: number };
  /** A resumed callback state's own deadline, used by its first wait only. */
  resumeDeadline?: { state: string; at: number };
  /** Ended by a shutdown: the persisted file stays for the next start. */
  suspended?: boolean;
  readonly issued: Set<string>;
  readonly pending: Set<PendingEntry>;
  readonly events: WorkflowEvent[];
  status: ExecutionStatus;
}

const executions = new Map<string, ExecutionRecord>();
let persistDir: string | undefined;
const pendingByToken = new Map<string, PendingEntry>();
/** Tokens of tasks that ended: answering TaskTimedOut for them, as AWS does. */
const closedTokens = new Set<string>();
const machineCache = new Map<string, StateMachine>();

function machineFor(definition: StateMachineDefinition, resumeAt?: string): StateMachine {
  const key = JSON.stringify(definition);
  let machine = machineCache.get(key);
  if (machine === undefined) {
    machine = new StateMachine(definition); // validates the definition (asl-validator), as CreateStateMachine would
    machineCache.set(key, machine);
  }
  if (resumeAt === undefined) return machine;
  // The same, validated definition started elsewhere: the validator would call the states before it unreachable.
  const resumeKey = `${resumeAt}\u0000${key}`;
  let resumed = machineCache.get(resumeKey);
  if (resumed === undefined) {
    resumed = new StateMachine({ ...definition, StartAt: resumeAt }, { validationOptions: { noValidate: true } });
    machineCache.set(resumeKey, resumed);
  }
  return resumed;
}

function closeEntry(entry: PendingEntry): void {
  clearTimeout(entry.heartbeatTimer);
  clearTimeout(entry.timeoutTimer);
  pendingByToken.delete(entry.taskToken);
  entry.execution.pending.delete(entry);
  closedTokens.add(entry.taskToken);
  // Bounded: past this, a very old token answers TaskDoesNotExist instead of TaskTimedOut.
  if (closedTokens.size > MAX_CLOSED_TOKENS) closedTokens.delete(closedTokens.values().next().value as string);
}

function liveEntry(taskToken: string): PendingEntry {
  if (typeof taskToken !== 'string' || taskToken.length === 0) throw new TaskTokenError('InvalidToken', 'task token is empty');
  const entry = pendingByToken.get(taskToken);
  if (entry !== undefined) return entry;
  if (closedTokens.has(taskToken)) throw new TaskTokenError('TaskTimedOut', 'the task of this token has already ended (completed, failed, timed out or aborted)');
  throw new TaskTokenError('TaskDoesNotExist', 'no task has this token (local executions do not survive a restart)');
}

function event(record: ExecutionRecord, type: CallbackEvent['type'], state: string, error?: string): void {
  record.events.push({ type, timestamp: Date.now(), state, ...(error === undefined ? {} : { error }) });
}

/** Like SendTaskSuccess: `output` becomes the callback state's result. */
export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
  const entry = liveEntry(taskToken);
  const value = toJson(output, 'output');
  entry.settle({ ok: true, value });
}

/** Like SendTaskFailure: the state fails with `error` (matched by Retry/Catch) and `cause`. */
export async function sendTaskFailure(taskToken: string, error = 'States.TaskFailed', cause = ''): Promise<void> {
  const entry = liveEntry(taskToken);
  entry.settle({ ok: false, error: new StateError(error, cause) });
}

/** Like SendTaskHeartbeat: restarts the state's HeartbeatSeconds clock. */
export async function sendTaskHeartbeat(taskToken: string): Promise<void> {
  const entry = liveEntry(taskToken);
  event(entry.execution, 'CallbackHeartbeat', entry.state);
  armHeartbeat(entry);
}

function armHeartbeat(entry: PendingEntry): void {
  if (entry.plan.heartbeatMs === undefined) return;
  clearTimeout(entry.heartbeatTimer);
  entry.heartbeatTimer = setTimeout(
    () => entry.settle({ ok: false, error: new StateError('States.HeartbeatTimeout', `no heartbeat within ${entry.plan.heartbeatMs} ms`) }),
    entry.plan.heartbeatMs,
  );
}

/** The callback tasks waiting for a token, oldest first (all executions, or one). */
export function pendingTasks(executionId?: string): PendingTask[] {
  return [...pendingByToken.values()]
    .filter((e) => executionId === undefined || e.executionId === executionId)
    .map(({ taskToken, executionId: id, state, payload, startedAt }) => ({ taskToken, executionId: id, state, payload, startedAt }));
}

export function getExecution(executionId: string): ExecutionHandle | undefined {
  return executions.get(executionId)?.handle;
}

/** Aborts every running execution (test teardown) and waits for their results; like StopExecution for each. */
export async function abortAllExecutions(): Promise<void> {
  const running = [...executions.values()].flatMap((r) => (r.status === 'RUNNING' && r.handle !== undefined ? [r.handle] : []));
  for (const h of running) h.abort();
  await Promise.all(running.map((h) => h.result));
}

/**
 * Shutdown: ends every execution in this process but keeps their persisted files, so that the next
 * start resumes them ({@link resumePersistedExecutions}); forgets them here, as a new process would.
 */
export async function suspendAllExecutions(): Promise<void> {
  const running = [...executions.values()].filter((r) => r.status === 'RUNNING' && r.handle !== undefined);
  for (const r of running) {
    r.suspended = true;
    r.handle?.abort();
  }
  await Promise.all(running.map((r) => r.handle?.result));
  for (const r of running) executions.delete(r.executionId);
}

/** Like StopExecution: an execution that is unknown here or has ended is not an error. */
export async function stopExecution(executionId: string): Promise<void> {
  const record = executions.get(executionId);
  if (record === undefined || record.status !== 'RUNNING' || record.handle === undefined) return;
  record.handle.abort();
  await record.handle.result;
}

// ---------------------------------------------------------------------------------------------
// Persistence (local mode): one file per running execution

/** What a file holds: enough to start the execution again at the state it was in. */
export interface PersistedExecution {
  readonly executionId: string;
  readonly name: string;
  readonly stateMachine: string;
  /** The execution's own input (what StartExecution was given). */
  readonly input: JSONValue;
  readonly startedAt: string;
  readonly timeScale: number;
  readonly substitutions?: Readonly<Record<string, string>>;
  readonly timeoutOverrides?: Readonly<Record<string, TaskTimeouts>>;
  /** The state it last entered and that state's input. */
  readonly state: string;
  readonly stateInput: JSONValue;
  /** For a waiting callback state: when it times out (epoch ms). */
  readonly callbackDeadline?: number;
}

/** Keep running executions in `dir` (created if missing); undefined: in memory only. */
export function persistExecutionsIn(dir: string | undefined): void {
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  persistDir = dir;
}

const persistedFile = (dir: string, executionId: string): string => join(dir, `${encodeURIComponent(executionId.split(':').slice(-2).join('.'))}.json`);

function persist(record: ExecutionRecord): void {
  if (persistDir === undefined || record.status !== 'RUNNING' || record.lastEntered === undefined) return;
  const { state, input } = record.lastEntered;
  const deadline = record.callbackDeadline?.state === state ? record.callbackDeadline.at : undefined;
  const data: PersistedExecution = { ...record.persisted, state, stateInput: input, ...(deadline === undefined ? {} : { callbackDeadline: deadline }) };
  const file = persistedFile(persistDir, record.executionId);
  // Written whole and renamed: a crash leaves the previous state's file, never half of one.
  writeFileSync(`${file}.tmp`, JSON.stringify(data));
  renameSync(`${file}.tmp`, file);
}

function forget(record: ExecutionRecord): void {
  if (persistDir === undefined || record.suspended) return;
  rmSync(persistedFile(persistDir, record.executionId), { force: true });
}

/**
 * Starts again every execution persisted in the directory ({@link persistExecutionsIn}) at the state
 * it was in, with the same id, running every Task with `taskHandler`. A file that cannot be read or
 * resumed is reported through `onError` and left in place.
 */
export function resumePersistedExecutions<P = Record<string, unknown>>(
  taskHandler: (payload: P) => Promise<unknown>,
  onError: (file: string, error: unknown) => void = () => undefined,
): ExecutionHandle[] {
  if (persistDir === undefined) return [];
  const handles: ExecutionHandle[] = [];
  for (const file of readdirSync(persistDir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const saved = JSON.parse(readFileSync(join(persistDir, file), 'utf8')) as PersistedExecution;
      handles.push(
        launch(saved.stateMachine, saved.input, {
          taskHandler,
          name: saved.name,
          timeScale: saved.timeScale,
          ...(saved.substitutions ? { substitutions: saved.substitutions } : {}),
          ...(saved.timeoutOverrides ? { timeoutOverrides: saved.timeoutOverrides } : {}),
        }, { state: saved.state, stateInput: saved.stateInput, executionId: saved.executionId, startedAt: saved.startedAt, ...(saved.callbackDeadline === undefined ? {} : { callbackDeadline: saved.callbackDeadline }) }),
      );
    } catch (error) {
      onError(file, error);
    }
  }
  return handles;
}

interface ResumePoint {
  readonly state: string;
  readonly stateInput: JSONValue;
  readonly executionId: string;
  readonly startedAt: string;
  readonly callbackDeadline?: number;
}

/**
 * Starts an execution of `statemachines/<name>.asl.json`. Every Task state runs `taskHandler` in this
 * process; callback states wait for {@link sendTaskSuccess} & co. with the token the handler received.
 */
export function startExecution<P = Record<string, unknown>>(name: string, input: unknown, options: StartExecutionOptions<P>): ExecutionHandle {
  return launch(name, input, options);
}

function launch<P>(name: string, input: unknown, options: StartExecutionOptions<P>, resume?: ResumePoint): ExecutionHandle {
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0)) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  const substitutions = options.substitutions ?? LOCAL_SUBSTITUTIONS[name] ?? {};
  let definition = loadStateMachine(name, substitutions);
  if (options.timeoutOverrides !== undefined) definition = withTaskTimeouts(definition, options.timeoutOverrides);
  const plans = planTasks(definition, timeScale);
  if (resume !== undefined && definition.States[resume.state] === undefined) throw new Error(`${name}: no state ${resume.state} to resume at`);
  // A resumed execution runs the same definition from the state it was in.
  const machine = machineFor(engineDefinition(definition), resume?.state);

  const executionName = options.name ?? randomUUID();
  const executionId = resume?.executionId ?? `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${name}:${executionName}`;
  const inputJson = toJson(input, 'input');
  const inputText = JSON.stringify(inputJson);
  const existing = executions.get(executionId);
  if (existing !== undefined) {
    // AWS: the same name and input while running returns the running execution; anything else is refused.
    if (existing.status === 'RUNNING' && existing.input === inputText && existing.handle !== undefined) return existing.handle;
    throw new ExecutionAlreadyExists(`execution ${executionName} of ${name} already exists`);
  }

  const events: WorkflowEvent[] = [];
  const issued = new Set<string>();
  const startedAt = resume?.startedAt ?? new Date().toISOString();
  const record: ExecutionRecord = {
    executionId,
    input: inputText,
    persisted: {
      executionId,
      name: executionName,
      stateMachine: name,
      input: inputJson,
      startedAt,
      timeScale,
      ...(options.substitutions ? { substitutions: options.substitutions } : {}),
      ...(options.timeoutOverrides ? { timeoutOverrides: options.timeoutOverrides } : {}),
    },
    ...(resume?.callbackDeadline === undefined ? {} : { resumeDeadline: { state: resume.state, at: resume.callbackDeadline } }),
    issued,
    pending: new Set(),
    events,
    status: 'RUNNING',
  };

  const invoke = async (payload: JSONValue): Promise<unknown> => {
    try {
      return await options.taskHandler(structuredClone(payload) as P);
    } catch (error) {
      throw lambdaError(error);
    }
  };

  const handlerFor = (stateName: string, plan: TaskPlan): LocalHandler => async (stateInput) => {
    if (record.status !== 'RUNNING') throw new StateError('States.Runtime', 'execution ended');
    const payload = plan.lambdaInvoke && isObject(stateInput) ? (stateInput['Payload'] ?? null) : stateInput;
    if (!plan.callback) {
      const result = await withTimeout(invoke(payload), plan.timeoutMs, plan.timeoutSeconds);
      const json = toJson(result, `${stateName} result`);
      return plan.lambdaInvoke ? { ExecutedVersion: '$LATEST', Payload: json, StatusCode: 200 } : json;
    }
    const taskToken = findToken(payload, issued);
    if (taskToken === undefined) throw new StateError('States.Runtime', `${stateName} is a .waitForTaskToken state but passes no $$.Task.Token to its resource`);
    return waitForCallback(record, stateName, plan, taskToken, payload, invoke);
  };

  const taskResourceLocalHandlers: LocalHandlers = {};
  for (const [stateName, plan] of plans) taskResourceLocalHandlers[stateName] = handlerFor(stateName, plan);
  const retryIntervalOverrides =
    options.retryIntervalMs === undefined ? undefined : Object.fromEntries([...plans.keys()].map((s) => [s, options.retryIntervalMs as number]));

  const run = machine.run(resume === undefined ? inputJson : resume.stateInput, {
    overrides: {
      taskResourceLocalHandlers,
      ...(options.waitTimeOverrides === undefined ? {} : { waitTimeOverrides: { ...options.waitTimeOverrides } }),
      ...(retryIntervalOverrides === undefined ? {} : { retryIntervalOverrides }),
    },
    context: {
      Execution: { Id: executionId, Name: executionName },
      StateMachine: { Id: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`, Name: name },
      Task: {
        get Token(): string {
          const token = randomBytes(32).toString('base64url');
          issued.add(token);
          return token;
        },
      },
    },
  });

  void (async () => {
    for await (const e of run.eventLogs) {
      events.push(e);
      // Top-level states only (a Parallel branch's or Map iteration's events carry an index).
      if (e.type === 'StateEntered' && 'state' in e && e.index === undefined) {
        record.lastEntered = { state: e.state.name, input: e.state.input };
        persist(record);
      }
    }
  })();

  const finish = (result: ExecutionResult): ExecutionResult => {
    record.status = result.status;
    forget(record);
    for (const entry of [...record.pending]) entry.settle({ ok: false, error: new StateError('States.Runtime', `execution ${result.status.toLowerCase()}`) });
    return result;
  };
  const result: Promise<ExecutionResult> = run.result.then(
    (output) => finish({ status: 'SUCCEEDED', output }),
    (error: unknown) => finish(executionFailure(error)),
  );

  const handle: ExecutionHandle = {
    executionId,
    name: executionName,
    stateMachine: name,
    startedAt,
    result,
    events,
    status: () => record.status,
    currentState: () => (record.status === 'RUNNING' ? currentStateOf(events) : undefined),
    abort: () => {
      if (record.status !== 'RUNNING') return;
      run.abort();
    },
  };
  record.handle = handle;
  executions.set(executionId, record);
  return handle;
}

function executionFailure(error: unknown): ExecutionResult {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout' };
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    return { status: 'FAILED', error: error.cause.name, cause: error.cause.message };
  }
  return { status: 'FAILED', error: error instanceof Error ? error.name : 'Error', cause: error instanceof Error ? error.message : String(error) };
}

function currentStateOf(events: readonly WorkflowEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as WorkflowEvent;
    if (e.type === 'StateEntered' && 'state' in e && typeof e.state === 'object') return e.state.name;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The token the state's Parameters put into the payload (wherever it put it). */
function findToken(value: unknown, issued: ReadonlySet<string>): string | undefined {
  if (typeof value === 'string') return issued.has(value) ? value : undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = findToken(v, issued);
      if (t !== undefined) return t;
    }
  } else if (isObject(value)) {
    for (const v of Object.values(value)) {
      const t = findToken(v, issued);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StateError('States.Timeout', `task did not finish within ${seconds} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function waitForCallback(
  record: ExecutionRecord,
  state: string,
  plan: TaskPlan,
  taskToken: string,
  payload: JSONValue,
  invoke: (payload: JSONValue) => Promise<unknown>,
): Promise<JSONValue> {
  const { promise, resolve, reject } = Promise.withResolvers<JSONValue>();
  let settled = false;
  const entry: PendingEntry = {
    taskToken,
    executionId: record.executionId,
    state,
    payload,
    startedAt: new Date().toISOString(),
    execution: record,
    plan,
    settle(outcome) {
      if (settled) return;
      settled = true;
      closeEntry(entry);
      if (outcome.ok) {
        event(record, 'CallbackSucceeded', state);
        resolve(outcome.value);
      } else {
        const timedOut = outcome.error.name === 'States.Timeout' || outcome.error.name === 'States.HeartbeatTimeout';
        event(record, timedOut ? 'CallbackTimedOut' : 'CallbackFailed', state, outcome.error.name);
        reject(outcome.error);
      }
    },
  };
  pendingByToken.set(taskToken, entry);
  record.pending.add(entry);
  event(record, 'CallbackStarted', state);
  // A state resumed after a restart keeps what was left of its timeout.
  const resumed = record.resumeDeadline?.state === state ? record.resumeDeadline.at : undefined;
  record.resumeDeadline = undefined;
  const timeoutMs = resumed === undefined ? plan.timeoutMs : Math.max(0, resumed - Date.now());
  record.callbackDeadline = { state, at: Date.now() + timeoutMs };
  persist(record);
  entry.timeoutTimer = setTimeout(
    () => entry.settle({ ok: false, error: new StateError('States.Timeout', `no callback within ${plan.timeoutSeconds} s`) }),
    timeoutMs,
  );
  armHeartbeat(entry);
  // The Lambda invocation: it stores the token and returns (its result is ignored); if it fails, so does the task.
  invoke(payload).then(
    () => undefined,
    (error: unknown) => entry.settle({ ok: false, error: lambdaError(error) }),
  );
  return promise;
}
