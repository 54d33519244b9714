import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { git } from '../git/git.js';
import { gitDirsOf, operationInProgress } from '../git/gitdir.js';
import { unreachableCount } from '../git/reachability.js';
import { listWorktrees, readStatus, type WorktreeEntry } from '../git/worktrees.js';
import { exact, sessionName, tmux } from '../runner/tmux.js';
import { watcherPid } from '../watch/daemon-control.js';
import type { TaskView } from './catalog.js';
import { taskBranch, worktreePath } from './paths.js';
import type { Known, RemovalFacts, WorktreeFacts } from './removal.js';
import { LIVE_STATUSES } from './state.js';
import type { TaskStore } from './store.js';
import { processesIn, type WorktreeProcess } from './worktree-processes.js';
import { samePath } from '../util/same-path.js';

/** The facts, plus what `rm --force` needs to act on them. */
export interface RemovalPlan {
  task: TaskView;
  facts: RemovalFacts;
  /** Processes in the worktree whose environment names the task: --force ends them. */
  taskProcesses: WorktreeProcess[];
  /** The task branch's tip, where the `removed` event goes; null when the branch is gone. */
  tip: string | null;
}

const ZERO = /^0+$/;
const COMMIT = /^[0-9a-f]{40,64}$/;

/** Pure: tmux's answer to `list-panes -F '#{pane_dead}'`: live, gone, or tmux's message when it could not tell. */
export function sessionAnswer(res: { code: number; stdout: string; stderr: string }): 'live' | 'gone' | { error: string } {
  if (res.code === 0) return res.stdout.split('\n').some((l) => l.trim() === '0') ? 'live' : 'gone'; // a kept dead pane is not an agent
  // no tmux installed, no server, or no such session: nothing of ours runs there
  if (res.code === 127 || /no server running|can't find (session|window|pane)|error connecting to|no such file/i.test(res.stderr)) return 'gone';
  return { error: res.stderr.trim().split('\n').pop() || `tmux exited with ${res.code}` };
}

function sessionState(session: string): 'live' | 'gone' | { error: string } {
  return sessionAnswer(tmux(['list-panes', '-s', '-t', exact(session), '-F', '#{pane_dead}']));
}

/** Tips of the named branches, in one git process; a branch missing is absent from the map. */
async function branchTips(cwd: string, branches: string[]): Promise<Map<string, string>> {
  const refs = [...new Set(branches.map((b) => `refs/heads/${b}`))];
  const out = await git(['for-each-ref', '--format=%(refname)%00%(objectname)', ...refs], { cwd });
  const tips = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [ref, commit] = line.split('\0');
    if (ref && commit && refs.includes(ref)) tips.set(ref.slice('refs/heads/'.length), commit);
  }
  return tips;
}

/**
 * The worktree `start` made for the task: the recorded path when the record is sound (named after
 * the task), else where start puts it. Never the main worktree, never one made by hand elsewhere.
 */
function ownWorktree(repo: Repo, config: SupersetConfig, recorded: string | undefined, name: string, worktrees: WorktreeEntry[]): { path: string; entry: WorktreeEntry | null } {
  const wanted = recorded && path.basename(recorded) === name ? recorded : worktreePath(repo, config, name);
  const entry = worktrees.slice(1).find((w) => samePath(w.path, wanted)) ?? null;
  return { path: entry?.path ?? wanted, entry };
}

/**
 * Everything `rm` needs to judge the tasks, read for the whole batch: commits are judged as if
 * every branch in the batch were already gone (a task based on another keeps its commits only
 * while that other stays). Each git failure is kept as a fact ("could not tell"), never a zero;
 * only `git worktree list` and `for-each-ref` failing fail the whole command.
 */
export async function gatherRemovalFacts(repo: Repo, config: SupersetConfig, store: TaskStore, tasks: TaskView[]): Promise<RemovalPlan[]> {
  const [worktrees, tips] = await Promise.all([listWorktrees(repo.root), branchTips(repo.root, tasks.map((t) => t.branch))]);
  // Only the branch start made for the task (never an adopted one, nor what a damaged record names).
  const ownsBranch = (t: TaskView): boolean => t.branch === taskBranch(config, t.name) && tips.has(t.branch);
  const going = tasks.filter(ownsBranch).map((t) => t.branch);
  const watcher = watcherPid(repo.stateDir);
  const plans: RemovalPlan[] = [];
  for (const task of tasks) {
    const record = store.read(task.name);
    const baseCommit = record?.baseCommit && COMMIT.test(record.baseCommit) ? record.baseCommit : task.base && COMMIT.test(task.base) ? task.base : null;
    const alsoSafe = baseCommit ? [baseCommit] : [];
    const own = ownWorktree(repo, config, record?.worktree, task.name, worktrees);
    const tip = tips.get(task.branch) ?? null;

    const sessions = [...new Set([task.tmuxSession, sessionName(repo.id, task.name)].filter((s): s is string => Boolean(s)))];
    const sessionStates = sessions.map((session) => ({ session, state: sessionState(session) }));
    const processes = own.entry ? processesIn(own.path, { task: task.name, ignore: [watcher] }) : [];

    let worktree: WorktreeFacts | null = null;
    if (own.entry) {
      const present = fs.existsSync(own.path);
      const dirs = present ? gitDirsOf(own.path) : null;
      let uncommitted: Known<number> | null = null;
      if (present) {
        const status = await readStatus(own.path);
        uncommitted = status.ok ? { ok: true, value: status.paths.length } : { ok: false, error: status.error };
      }
      // HEAD as git lists it (read even when the directory is gone): a detached HEAD's commits
      // would dangle once the worktree goes. A zero HEAD with no branch is an unreadable HEAD file.
      const head = own.entry.head;
      let headOnly: Known<number> | null = null;
      if (own.entry.branch !== `refs/heads/${task.branch}` || !tip) {
        if (!head || (ZERO.test(head) && !own.entry.branch)) headOnly = { ok: false, error: 'its HEAD cannot be read' };
        else if (!ZERO.test(head) && head !== tip) {
          // the task branch still counts as safe here: what only it has is counted as branchOnly
          const counted = await unreachableCount(repo.root, [head], { ignoreBranches: going.filter((b) => b !== task.branch), alsoSafe: [...alsoSafe, ...(tip ? [tip] : [])] });
          headOnly = counted.ok ? { ok: true, value: counted.count } : counted;
        }
      }
      worktree = {
        path: own.path,
        present,
        locked: own.entry.locked,
        operation: dirs ? operationInProgress(dirs.gitDir) : null,
        uncommitted,
        headOnly,
      };
    }

    let branchOnly: Known<number> | null = null;
    if (ownsBranch(task) && tip) {
      const counted = await unreachableCount(repo.root, [tip], { ignoreBranches: going, alsoSafe });
      branchOnly = counted.ok ? { ok: true, value: counted.count } : counted;
    }

    plans.push({
      task,
      tip,
      taskProcesses: processes.filter((p) => p.ofTask),
      facts: {
        name: task.name,
        branch: task.branch,
        base: record?.base ?? (task.base && !COMMIT.test(task.base) ? task.base : null),
        deletesBranch: ownsBranch(task),
        branchOnly,
        recordLive: LIVE_STATUSES.includes(task.status),
        liveSession: sessionStates.find((x) => x.state === 'live')?.session ?? null,
        sessionError: sessionStates.map((x) => (typeof x.state === 'object' ? `${x.session}: ${x.state.error}` : null)).find(Boolean) ?? null,
        processes: processes.map(({ pid, command }) => ({ pid, command })),
        worktree,
        checkedOutElsewhere: worktrees.filter((w) => w !== own.entry && w.branch === `refs/heads/${task.branch}`).map((w) => w.path),
      },
    });
  }
  return plans;
}
