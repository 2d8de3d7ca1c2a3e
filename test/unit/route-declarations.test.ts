/**
 * One declaration per route (issue 13, point 4). Method, path and auth live twice: in
 * shared/manifest.ts (which builds the REST API, its authorizers and the local server's dispatch) and in
 * each handler's `route({...})` (which checks the caller and parses the request). Both must say the same,
 * route for route; a failure names the route that differs. Likewise the legal-review workflow's Task
 * functions: the ASL's placeholders, infra's map (infra/workflows.ts) and local mode's substitutions
 * (local/workflows.ts) must name the same functions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { functions, routes as manifestRoutes } from '../../shared/manifest.ts';
import type { FunctionId, RouteSpec } from '../../shared/manifest.ts';
import type { Route } from '../../shared/http/router.ts';
import { POLICY } from '../../shared/domain/access.ts';
import { WORKFLOW_TASK_FUNCTIONS, placeholdersOf } from '../../infra/workflows.ts';
import { LOCAL_SUBSTITUTIONS, stateMachinePath } from '../../local/workflows.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** The manifest's auth kind a handler's `auth` corresponds to. */
function authKind(auth: Route['auth']): RouteSpec['auth'] {
  if (auth === 'public') return 'none';
  if (auth === 'device') return 'device';
  if (!Object.hasOwn(POLICY, auth)) throw new Error(`auth ${JSON.stringify(auth)} is neither public, device nor a permission of shared/domain/access.ts`);
  return 'user';
}

const apiFunctions = functions.filter((f) => (f.invokedBy ?? 'api') === 'api');

/** Every API function's served routes, keyed `METHOD /path`, with the function that serves each. */
async function servedRoutes(): Promise<Map<string, { fn: FunctionId; auth: RouteSpec['auth'] }[]>> {
  const served = new Map<string, { fn: FunctionId; auth: RouteSpec['auth'] }[]>();
  for (const spec of apiFunctions) {
    const mod = (await import(pathToFileURL(join(ROOT, spec.entry)).href)) as { handler?: { routes?: readonly Route[] } };
    const table = mod.handler?.routes;
    if (!table) throw new Error(`${spec.entry} exports no handler.routes (createHttpHandler)`);
    for (const r of table) served.set(key(r), [...(served.get(key(r)) ?? []), { fn: spec.id, auth: authKind(r.auth) }]);
  }
  return served;
}

describe('routes: shared/manifest.ts and the handlers agree', () => {
  it('every manifest route is served by exactly the function it names, with the same kind of auth', async () => {
    const served = await servedRoutes();
    const differences = manifestRoutes.flatMap((m) => {
      const by = served.get(key(m)) ?? [];
      if (by.length === 0) return [`${key(m)}: in the manifest (${m.fn}), served by no handler`];
      if (by.length > 1) return [`${key(m)}: served by several functions (${by.map((b) => b.fn).join(', ')})`];
      const [one] = by as [{ fn: FunctionId; auth: RouteSpec['auth'] }];
      const out: string[] = [];
      if (one.fn !== m.fn) out.push(`${key(m)}: the manifest names ${m.fn}, ${one.fn} serves it`);
      if (one.auth !== m.auth) out.push(`${key(m)}: auth '${m.auth}' in the manifest, '${one.auth}' in the handler`);
      return out;
    });
    expect(differences).toEqual([]);
  });

  it('every route a handler serves is in the manifest, under that function', async () => {
    const served = await servedRoutes();
    const inManifest = new Map(manifestRoutes.map((m) => [key(m), m]));
    const differences = [...served].flatMap(([k, by]) =>
      by.filter((b) => inManifest.get(k)?.fn !== b.fn).map((b) => `${k}: served by ${b.fn}, ${inManifest.has(k) ? `the manifest names ${inManifest.get(k)!.fn}` : 'not in the manifest (API Gateway would never route it)'}`),
    );
    expect(differences).toEqual([]);
  });

  it('the manifest declares each route once, for an API function', () => {
    const keys = manifestRoutes.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const apiIds = new Set(apiFunctions.map((f) => f.id));
    expect(manifestRoutes.filter((m) => !apiIds.has(m.fn)).map((m) => `${key(m)}: ${m.fn} is not invokedBy 'api'`)).toEqual([]);
  });

  it('maps auth kinds as the router checks them: public → none, device → device, a permission → user', () => {
    expect(authKind('public')).toBe('none');
    expect(authKind('device')).toBe('device');
    expect(authKind('case.read')).toBe('user');
    expect(() => authKind('no.such-permission' as Route['auth'])).toThrow(/neither public, device nor a permission/);
  });
});

interface AslState {
  readonly Type?: string;
  readonly Parameters?: { readonly FunctionName?: unknown };
  readonly Branches?: readonly { readonly States?: Record<string, AslState> }[];
}

/** `State name → placeholder` of every Task state (nested ones too) of a workflow's ASL. */
function taskPlaceholders(workflow: string): Map<string, string> {
  const definition = JSON.parse(readFileSync(stateMachinePath(workflow), 'utf8')) as { States: Record<string, AslState> };
  const out = new Map<string, string>();
  const visit = (states: Record<string, AslState> | undefined) => {
    for (const [name, state] of Object.entries(states ?? {})) {
      if (state.Type === 'Task') {
        const fn = state.Parameters?.FunctionName;
        out.set(name, typeof fn === 'string' ? (/^\$\{(\w+)\}$/.exec(fn)?.[1] ?? `(literal ${fn})`) : '(none)');
      }
      state.Branches?.forEach((b) => visit(b.States));
    }
  };
  visit(definition.States);
  return out;
}

/** The function name at the end of a Lambda ARN. */
const functionNameOf = (arn: string) => /^arn:aws:lambda:[^:]+:\d{12}:function:([\w-]+)$/.exec(arn)?.[1];

describe('workflow Task functions: the ASL, infra/workflows.ts and local/workflows.ts agree', () => {
  const workflows = [...new Set([...Object.keys(WORKFLOW_TASK_FUNCTIONS), ...Object.keys(LOCAL_SUBSTITUTIONS)])].sort();

  it('declares the same workflows in infra and in local mode', () => {
    expect(Object.keys(WORKFLOW_TASK_FUNCTIONS).sort()).toEqual(Object.keys(LOCAL_SUBSTITUTIONS).sort());
    expect(workflows).toContain('legal-review');
  });

  it.each(workflows)('%s: every Task state names a placeholder that infra and local mode both map, to the same function', (workflow) => {
    const infra = WORKFLOW_TASK_FUNCTIONS[workflow] ?? {};
    const local = LOCAL_SUBSTITUTIONS[workflow] ?? {};
    const tasks = taskPlaceholders(workflow);
    expect(tasks.size).toBeGreaterThan(0);
    const differences = [...tasks].flatMap(([state, placeholder]) => [
      ...(placeholder in infra ? [] : [`Task ${state}: \${${placeholder}} has no function in infra/workflows.ts`]),
      ...(placeholder in local ? [] : [`Task ${state}: \${${placeholder}} has no substitution in local/workflows.ts`]),
    ]);
    // No placeholder mapped on one side only, and none that the ASL does not use.
    const used = placeholdersOf(readFileSync(stateMachinePath(workflow), 'utf8'));
    differences.push(...Object.keys(infra).filter((p) => !used.includes(p)).map((p) => `infra maps \${${p}}, which the ASL does not use`));
    differences.push(...Object.keys(local).filter((p) => !used.includes(p)).map((p) => `local mode substitutes \${${p}}, which the ASL does not use`));
    // Local mode's ARN names the same function as infra's.
    for (const [p, fn] of Object.entries(infra)) {
      const localFn = local[p] === undefined ? undefined : functionNameOf(local[p]);
      if (local[p] !== undefined && localFn !== fn) differences.push(`\${${p}}: infra invokes ${fn}, local mode's ARN names ${localFn ?? local[p]}`);
    }
    expect(differences).toEqual([]);
  });

  it("local mode runs every Task with the one invokedBy: 'workflow' function, which is the one infra maps", () => {
    // local/workflow-client.ts imports the first `invokedBy: 'workflow'` function for every Task state,
    // so infra must map every placeholder of every workflow to that one function.
    const workflowFunctions = functions.filter((f) => f.invokedBy === 'workflow').map((f) => f.id);
    const mapped = [...new Set(Object.values(WORKFLOW_TASK_FUNCTIONS).flatMap((m) => Object.values(m)))];
    expect(workflowFunctions).toHaveLength(1);
    expect(mapped).toEqual(workflowFunctions);
  });
});
