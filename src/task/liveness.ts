import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './process-alive.js';

/**
 * Whether an agent still runs, judged from the processes themselves, not from one file: the
 * wrapper's pid, the process group it leads (tmux panes and detached spawns are group leaders, so
 * an agent whose wrapper was killed with -9 is still found), and processes whose working directory
 * is inside the worktree. No process is spawned; the /proc scans run only where a cheaper check
 * cannot answer. Linux reads /proc; elsewhere the group's kill(0) is trusted.
 */

interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
}

function parseStat(pid: number, text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const [state, , pgrp] = text.slice(close + 2).split(' ');
  return state && pgrp ? { pid, state, pgrp: Number(pgrp) } : null;
}

function pids(): number[] | null {
  try {
    return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return null;
  }
}

function stat(pid: number): ProcStat | null {
  try {
    return parseStat(pid, fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Non-zombie processes of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!groupExists(pgid)) return [];
  const all = pids();
  // no /proc: kill(0) said the group exists, and that is all we can know
  if (!all) return [pgid];
  return all.filter((pid) => {
    const st = stat(pid);
    return st !== null && st.pgrp === pgid && st.state !== 'Z';
  });
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

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Processes (other than this one) whose working directory is `dir` or below it, including one
 * whose directory was deleted under it (the kernel then shows the old path + " (deleted)").
 */
export function processesIn(dir: string): number[] {
  const all = pids();
  if (!all) return [];
  const root = real(dir);
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);
  const found: number[] = [];
  for (const pid of all) {
    if (pid === process.pid) continue;
    let cwd: string;
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // gone, a zombie, or not ours to read
    }
    if (inside(cwd.replace(/ \(deleted\)$/, '')) && stat(pid)?.state !== 'Z') found.push(pid);
  }
  return found;
}

/**
 * Processes launched for the task whose worktree is `worktree`: the agent, its children and
 * anything it started, found by the SUPERSET_WORKTREE its environment carries (agentEnv sets it).
 * Unlike a cwd match this ignores the user's own shell in the worktree, and still finds an agent
 * that left it, or whose wrapper and process group are gone.
 */
export function agentProcessesIn(worktree: string): number[] {
  const all = pids();
  if (!all) return [];
  const marks = [...new Set([worktree, real(worktree)])].map((w) => Buffer.from(`\0SUPERSET_WORKTREE=${w}\0`));
  const found: number[] = [];
  for (const pid of all) {
    if (pid === process.pid) continue;
    let env: Buffer;
    try {
      env = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${pid}/environ`), Buffer.from([0])]);
    } catch {
      continue; // gone, or not ours to read
    }
    if (marks.some((m) => env.includes(m)) && stat(pid)?.state !== 'Z' && !isTmuxServer(pid)) found.push(pid);
  }
  return found;
}

/** A tmux server first started from inside an agent inherits its environment; it is not the agent. */
function isTmuxServer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('tmux');
  } catch {
    return false;
  }
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
