import { ancestry, cwdInside, procStat, realDir, scanProcesses } from './proc.js';

export interface WorktreeProcess {
  pid: number;
  /** The process's command name (`/proc/<pid>/comm`). */
  command: string;
  /** Its environment names this task (SUPERSET_TASK): our agent, its wrapper or a child of them. */
  ofTask: boolean;
}

/**
 * Processes whose working directory is inside the worktree, found through /proc without spawning
 * anything: an agent runs on in a deleted directory if its worktree is removed under it, whatever
 * the task record says (a corrupt or deleted record says nothing). Left out: this process, its
 * ancestors (the shell that runs `rm` may sit in the worktree) and descendants, `ignore` (the
 * watcher) and its children (its short `git status` calls), and tmux servers, which keep the cwd of
 * whatever started them and serve every task. Empty where there is no /proc.
 */
export function processesIn(worktree: string, opts: { task: string; ignore?: (number | null)[] }): WorktreeProcess[] {
  const dir = realDir(worktree);
  const all = scanProcesses();
  if (!all) return [];
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const statOf = (pid: number) => (byPid.get(pid)?.stat() ?? procStat(pid));
  const mine = new Set(ancestry(process.pid));
  const ignored = new Set([process.pid, ...(opts.ignore ?? []).filter((p): p is number => Boolean(p))]);
  const found: WorktreeProcess[] = [];
  for (const p of all) {
    if (mine.has(p.pid) || ignored.has(p.pid)) continue;
    const link = p.cwd();
    if (link === null || !cwdInside(link, dir)) continue; // exited, a zombie, or another user's
    if (ancestry(p.pid, statOf).slice(1).some((a) => ignored.has(a))) continue;
    const command = p.comm();
    if (command === null || p.tmuxServer()) continue; // exited meanwhile, or tmux
    found.push({ pid: p.pid, command, ofTask: p.hasEnv(`SUPERSET_TASK=${opts.task}`) });
  }
  return found;
}
