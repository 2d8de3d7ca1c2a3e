/**
 * What infra needs to know about the workflows in statemachines/ beyond shared/manifest.ts: which
 * function each `${...}` placeholder of an ASL file names, and the environment variable through which
 * a function that drives a workflow learns its state machine's ARN. Pure data and checks; the ASL
 * files themselves stay the one source of each workflow (read here, never copied).
 */
import { existsSync, readFileSync } from 'node:fs';
import { functions, routes } from '../shared/manifest.ts';
import type { FunctionId, FunctionSpec, RouteSpec } from '../shared/manifest.ts';
import { fromRoot } from './paths.ts';

/**
 * For each workflow, the function whose ARN each placeholder of its ASL stands for. The state
 * machine may invoke exactly these functions, and these must be `invokedBy: 'workflow'` functions.
 */
export const WORKFLOW_TASK_FUNCTIONS: Readonly<Record<string, Readonly<Record<string, FunctionId>>>> = {
  'legal-review': { ReviewTaskFunctionArn: 'review-tasks' },
};

/**
 * The variable a driving function reads its state machine's ARN from: `legal-review` →
 * `LEGAL_REVIEW_STATE_MACHINE_ARN`. Must match the derivation in shared/aws/workflows.ts
 * (test/infra/workflows.test.ts pins the name).
 */
export const stateMachineArnEnv = (workflow: string): string => `${workflow.toUpperCase().replace(/-/g, '_')}_STATE_MACHINE_ARN`;

/** `statemachines/<workflow>.asl.json`, absolute. */
export function definitionPath(workflow: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(workflow)) throw new Error(`Invalid workflow name ${JSON.stringify(workflow)}`);
  return fromRoot(`statemachines/${workflow}.asl.json`);
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The `${...}` placeholders a definition text uses, sorted. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/** Workflows that some function starts or completes steps of (`drivesWorkflows`), in manifest order. */
export function deployedWorkflows(specs: readonly FunctionSpec[] = functions): string[] {
  return [...new Set(specs.flatMap((s) => s.drivesWorkflows ?? []))];
}

const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;

interface AslState {
  readonly Type?: string;
  readonly Resource?: unknown;
  readonly Parameters?: { readonly FunctionName?: unknown };
  readonly Branches?: readonly AslDefinition[];
  readonly Iterator?: AslDefinition;
  readonly ItemProcessor?: AslDefinition;
}
interface AslDefinition {
  readonly States?: Readonly<Record<string, AslState>>;
}

/**
 * Reads and checks a workflow's ASL file (see {@link checkDefinition}); returns its path and the
 * placeholder → function map.
 */
export function checkedWorkflow(workflow: string): { readonly path: string; readonly taskFunctions: Readonly<Record<string, FunctionId>> } {
  const path = definitionPath(workflow);
  const taskFunctions = WORKFLOW_TASK_FUNCTIONS[workflow];
  if (!taskFunctions) throw new Error(`Workflow ${workflow}: no entry in WORKFLOW_TASK_FUNCTIONS (infra/workflows.ts)`);
  if (!existsSync(path)) throw new Error(`Workflow ${workflow}: ${path} does not exist`);
  checkDefinition(workflow, readFileSync(path, 'utf8'), taskFunctions);
  return { path, taskFunctions };
}

/**
 * Checks an ASL text against what infra will grant, so that a mismatch stops the synth instead of
 * failing executions at run time: it is JSON; its placeholders are exactly the keys of
 * `taskFunctions`, each naming an `invokedBy: 'workflow'` function; every Task state (nested ones
 * too) is the Lambda integration (`lambda:invoke`, optionally `.waitForTaskToken`) with one of those
 * placeholders as FunctionName, since the state machine's role may invoke those functions and
 * nothing else.
 */
export function checkDefinition(
  workflow: string,
  text: string,
  taskFunctions: Readonly<Record<string, FunctionId>>,
  specs: readonly FunctionSpec[] = functions,
): void {
  let definition: AslDefinition;
  try {
    definition = JSON.parse(text) as AslDefinition;
  } catch (e) {
    throw new Error(`Workflow ${workflow}: the ASL is not valid JSON (${(e as Error).message})`);
  }

  const placeholders = placeholdersOf(text);
  const mapped = Object.keys(taskFunctions).sort();
  if (placeholders.join() !== mapped.join()) {
    throw new Error(`Workflow ${workflow}: the ASL uses placeholders [${placeholders.join(', ')}], infra substitutes [${mapped.join(', ')}]`);
  }
  for (const [placeholder, fnId] of Object.entries(taskFunctions)) {
    if (specs.find((f) => f.id === fnId)?.invokedBy !== 'workflow') {
      throw new Error(`Workflow ${workflow}: \${${placeholder}} names ${fnId}, which is not an invokedBy: 'workflow' function`);
    }
  }

  const allowed = new Set(mapped.map((p) => `\${${p}}`));
  const visit = (def: AslDefinition | undefined): void => {
    for (const [name, state] of Object.entries(def?.States ?? {})) {
      if (state.Type === 'Task') {
        const fn = state.Parameters?.FunctionName;
        if (typeof state.Resource !== 'string' || !LAMBDA_INVOKE.test(state.Resource) || typeof fn !== 'string' || !allowed.has(fn)) {
          throw new Error(
            `Workflow ${workflow}: Task ${name} must invoke a task function through arn:aws:states:::lambda:invoke[.waitForTaskToken] with FunctionName one of ${[...allowed].join(', ')} (its role may do nothing else)`,
          );
        }
      }
      state.Branches?.forEach(visit);
      visit(state.Iterator);
      visit(state.ItemProcessor);
    }
  };
  visit(definition);
}

/**
 * Checks the manifest's workflow fields against each other: workflow functions have no routes and
 * are named by some deployed workflow; no function is both invoked by a workflow and drives it (the
 * state machine would reference the function's ARN and the function the state machine's ARN: a
 * CloudFormation dependency cycle).
 */
export function checkWorkflowFunctions(specs: readonly FunctionSpec[] = functions, routeSpecs: readonly RouteSpec[] = routes): void {
  const workflows = deployedWorkflows(specs);
  const invokedBy = new Map<FunctionId, string[]>();
  for (const workflow of workflows) {
    for (const fnId of Object.values(WORKFLOW_TASK_FUNCTIONS[workflow] ?? {})) {
      invokedBy.set(fnId, [...(invokedBy.get(fnId) ?? []), workflow]);
    }
  }
  for (const spec of specs) {
    if (spec.invokedBy !== 'workflow') continue;
    const routed = routeSpecs.filter((r) => r.fn === spec.id);
    if (routed.length > 0) {
      throw new Error(`Function ${spec.id} is invoked by a workflow, yet routes name it: ${routed.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    }
    const by = invokedBy.get(spec.id) ?? [];
    if (by.length === 0) throw new Error(`Function ${spec.id} is invokedBy: 'workflow', but no deployed workflow invokes it`);
    const cycle = by.filter((w) => spec.drivesWorkflows?.includes(w));
    if (cycle.length > 0) throw new Error(`Function ${spec.id} both runs the tasks of and drives ${cycle.join(', ')}: a dependency cycle`);
  }
}
