import type { Workspace } from '../context.js';
import type { TaskView } from '../task/catalog.js';
import { agentEnv } from '../runner/launch.js';
import { allReservations, portEnv } from './ports.js';

/**
 * Config `env`: extra variables for a task's agent, setup, teardown and dev server. Values may
 * name the task's own variables (`${PORT}`, `${SUPERSET_TASK}`, ...); nothing else is expanded,
 * and an unknown name expands to nothing. Pure.
 */
export function expandEnv(extra: Record<string, string>, base: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => base[name] ?? out[name] ?? '');
  }
  return out;
}

/**
 * What an existing task's own processes (teardown, the dev server) see: the agent's variables,
 * its ports, then config env expanded against both.
 */
export function existingTaskEnv(ws: Workspace, task: TaskView, worktree: string): Record<string, string> {
  const base = agentEnv({ task: task.name, branch: task.branch, worktree, base: task.base ?? '', argv: [], runner: 'headless', repoId: ws.repo.id });
  const vars = { ...base, ...portEnv(allReservations(ws.repo)[task.name] ?? task.ports ?? {}) };
  return { ...vars, ...expandEnv(ws.config.env, vars) };
}
