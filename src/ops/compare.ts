import fs from 'node:fs';
import os from 'node:os';
import type { Workspace } from '../context.js';
import { UserError, throwIfAborted } from '../errors.js';
import { git } from '../git/git.js';
import { agentLabel } from '../agents/resolve.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { assertTaskName } from '../task/name.js';
import { runPool } from '../task/pool.js';
import { resolveBase } from '../task/start-task.js';
import { runTest, type TestRun } from '../task/run-test.js';
import type { TaskStatus } from '../task/state.js';
import { taskBaseRef } from './conflicts.js';
import * as msg from '../messages.js';

export interface CompareOptions {
  /** The group's name: the task given to `start <task> --agents a,b,c`. */
  task: string;
  /** Run config `test` in each variant's worktree (default true when it is set). */
  test?: boolean;
  signal?: AbortSignal;
}

export interface VariantRow {
  task: string;
  agent: string | null;
  status: TaskStatus;
  commits: number;
  files: number;
  insertions: number;
  deletions: number;
  /** null when no test ran (none configured, --no-test, or no worktree). */
  test: { passed: boolean; exitCode: number | null; seconds: number } | null;
}

/**
 * Pure: the variants of a best-of-N group, named by `start --agents` `<task>-<agent label>`, or
 * `<task>-<label>-<n>` when two of the agents share a label.
 */
export function variantsOf<T extends { name: string; agent: string | null }>(group: string, tasks: readonly T[]): T[] {
  return tasks.filter((t) => {
    if (t.agent === null || !t.name.startsWith(`${group}-`)) return false;
    const label = `${group}-${agentLabel(t.agent)}`;
    return t.name === label || (t.name.startsWith(`${label}-`) && /^\d+$/.test(t.name.slice(label.length + 1)));
  });
}

/** Pure: `git diff --shortstat` -> counts (" 2 files changed, 3 insertions(+), 1 deletion(-)"). */
export function parseShortstat(text: string): { files: number; insertions: number; deletions: number } {
  const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return { files: n(/(\d+) files? changed/), insertions: n(/(\d+) insertions?\(\+\)/), deletions: n(/(\d+) deletions?\(-\)/) };
}

async function stats(ws: Workspace, t: TaskView, base: string) {
  const root = ws.repo.root;
  const [count, short] = await Promise.all([
    git(['rev-list', '--count', `${base}..refs/heads/${t.branch}`, '--'], { cwd: root }),
    git(['diff', '--shortstat', `${base}...refs/heads/${t.branch}`, '--'], { cwd: root }),
  ]);
  return { commits: Number(count.trim()), ...parseShortstat(short) };
}

/**
 * One row per variant of a best-of-N group: status, commits, files and lines changed, and the
 * config `test` run in each variant's worktree, in parallel, at most one per core.
 */
export async function compareVariants(ws: Workspace, opts: CompareOptions): Promise<VariantRow[]> {
  assertTaskName(opts.task);
  const variants = variantsOf(opts.task, await loadTasks(ws.repo, ws.config, { ahead: false }));
  if (variants.length === 0) throw new UserError(msg.compare.noVariants(opts.task));
  let fallback: string | null = null;
  const defaultBase = async () => (fallback ??= (await resolveBase(ws.repo, ws.config.base)).ref);
  const gate = opts.test !== false ? ws.config.test : null;
  const results = await runPool(variants, Math.max(1, os.availableParallelism()), async (t): Promise<VariantRow> => {
    const base = await taskBaseRef(t, defaultBase);
    const s = await stats(ws, t, base);
    let test: TestRun | null = null;
    if (gate && t.worktree && fs.existsSync(t.worktree) && !opts.signal?.aborted) {
      test = await runTest(gate, t.worktree, { SUPERSET_TASK: t.name, SUPERSET_BRANCH: t.branch, SUPERSET_BASE: base }, opts.signal);
    }
    return {
      task: t.name,
      agent: t.agent,
      status: t.status,
      ...s,
      test: test ? { passed: test.passed, exitCode: test.exitCode, seconds: Math.round(test.ms / 100) / 10 } : null,
    };
  });
  throwIfAborted(opts.signal);
  const failed = results.find((r) => !r.ok);
  if (failed) throw failed.error;
  return results.map((r) => r.value!);
}
