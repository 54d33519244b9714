import { isAlive } from './process-alive.js';
import { cwdInside, realDir, scanProcesses } from './proc.js';

/**
 * Whether an agent still runs, judged from the processes themselves, not from one file: the
 * wrapper's pid, the process group it leads (tmux panes and detached spawns are group leaders, so
 * an agent whose wrapper was killed with -9 is still found), and processes whose working directory
 * is inside the worktree. No process is spawned; the /proc scans run only where a cheaper check
 * cannot answer. Linux reads /proc (proc.ts); elsewhere the group's kill(0) is trusted.
 */

/** Non-zombie processes of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!groupExists(pgid)) return [];
  // this process too: `_exited` runs in the wrapper's group
  const all = scanProcesses({ self: true });
  // no /proc: kill(0) said the group exists, and that is all we can know
  if (!all) return [pgid];
  return all.filter((p) => p.stat()?.pgrp === pgid && !p.zombie()).map((p) => p.pid);
}

function groupExists(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether any live (non-zombie) process is left in the group the wrapper led. */
export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

/**
 * Processes (other than this one) whose working directory is `dir` or below it, including one
 * whose directory was deleted under it (the kernel then shows the old path + " (deleted)").
 */
export function processesIn(dir: string): number[] {
  const root = realDir(dir);
  return (scanProcesses() ?? []).filter((p) => cwdInside(p.cwd() ?? '', root) && !p.zombie()).map((p) => p.pid);
}

/**
 * Processes launched for the task whose worktree is `worktree`: the agent, its children and
 * anything it started, found by the SUPERSET_WORKTREE its environment carries (agentEnv sets it).
 * Unlike a cwd match this ignores the user's own shell in the worktree, and still finds an agent
 * that left it, or whose wrapper and process group are gone.
 */
export function agentProcessesIn(worktree: string): number[] {
  const marks = [...new Set([worktree, realDir(worktree)])].map((w) => `SUPERSET_WORKTREE=${w}`);
  return (scanProcesses() ?? []).filter((p) => p.hasEnv(...marks) && !p.zombie() && !p.tmuxServer()).map((p) => p.pid);
}

export interface AgentProcesses {
  /** The wrapper (agent-run.sh) itself runs. */
  wrapper: boolean;
  /** Live processes of the wrapper's process group (the wrapper included). */
  group: number[];
  /** Live processes launched for the task's worktree (agentProcessesIn; empty when not asked for). */
  inWorktree: number[];
}

/**
 * What still runs of a task's agent. `worktree`: also look for processes launched for its worktree
 * (a scan of every process: worth it before launching an agent there or deleting it, not on every `ls`).
 */
export function agentProcesses(task: { pid?: number | null; worktree?: string | null }, opts: { worktree?: boolean } = {}): AgentProcesses {
  const pid = task.pid ?? null;
  const wrapper = pid !== null && isAlive(pid);
  const group = pid !== null ? groupMembers(pid) : [];
  const inWorktree = opts.worktree && task.worktree ? agentProcessesIn(task.worktree) : [];
  return { wrapper, group, inWorktree };
}

/** Whether anything of the agent still runs (see agentProcesses). */
export function agentRunning(task: { pid?: number | null; worktree?: string | null }, opts: { worktree?: boolean } = {}): boolean {
  const p = agentProcesses(task, opts);
  return p.wrapper || p.group.length > 0 || p.inWorktree.length > 0;
}
