import fs from 'node:fs';
import path from 'node:path';

export interface WorktreeProcess {
  pid: number;
  /** The process's command name (`/proc/<pid>/comm`). */
  command: string;
  /** Its environment names this task (SUPERSET_TASK): our agent, its wrapper or a child of them. */
  ofTask: boolean;
}

/** Pure: whether a /proc cwd link (which may end in " (deleted)") lies inside dir. */
export function cwdInside(link: string, dir: string): boolean {
  const cwd = link.endsWith(' (deleted)') ? link.slice(0, -' (deleted)'.length) : link;
  return cwd === dir || cwd.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

function ancestry(pid: number): number[] {
  const chain: number[] = [];
  for (let p: number | null = pid; p && p > 1 && chain.length < 64; p = parentOf(p)) chain.push(p);
  return chain;
}

function envOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
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
  let dir = worktree;
  try {
    dir = fs.realpathSync(worktree);
  } catch {
    /* gone: an agent may still run in it (its cwd then reads "<path> (deleted)") */
  }
  let pids: number[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
  const mine = new Set(ancestry(process.pid));
  const ignored = new Set([process.pid, ...(opts.ignore ?? []).filter((p): p is number => Boolean(p))]);
  const found: WorktreeProcess[] = [];
  for (const pid of pids) {
    if (mine.has(pid) || ignored.has(pid)) continue;
    let link: string;
    try {
      link = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue; // exited, a zombie, or another user's
    }
    if (!cwdInside(link, dir)) continue;
    if (ancestry(pid).slice(1).some((p) => ignored.has(p))) continue;
    let command = '?';
    try {
      command = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue; // exited meanwhile
    }
    if (/^tmux/.test(command)) continue;
    found.push({ pid, command, ofTask: envOf(pid).includes(`SUPERSET_TASK=${opts.task}`) });
  }
  return found;
}
