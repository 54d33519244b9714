import fs from 'node:fs';
import type { Workspace } from '../context.js';
import * as msg from '../messages.js';
import { UserError, throwIfAborted } from '../errors.js';
import { git, gitResult } from '../git/git.js';
import { currentBranch, resolveCommit } from '../git/branches.js';
import { mergeTrees } from '../git/merge-tree.js';
import { uncommittedPaths } from '../git/worktrees.js';
import { operationInProgress } from '../git/gitdir.js';
import { withTempWorktree } from '../git/temp-worktree.js';
import { agentLabel } from '../agents/resolve.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { LIVE_STATUSES } from '../task/state.js';
import { TaskStore } from '../task/store.js';
import { assertTaskName } from '../task/name.js';
import { resolveBase } from '../task/start-task.js';
import { runTest, type TestRun } from '../task/run-test.js';
import { byStart, mainRefusal, mergeMessage, readySkip, squashMessage, taskRefusal, type MergeStrategy } from '../task/merge-rules.js';
import { cleanUpMerged } from './merge-cleanup.js';
import { taskBaseRef } from './conflicts.js';

export type { MergeStrategy };

export interface MergeOptions {
  /** Tasks to merge, in this order. */
  tasks?: readonly string[];
  /** Instead: every ended `done` task with commits that merges clean, in start order. */
  ready?: boolean;
  strategy?: MergeStrategy;
  /** Keep worktree, branch and runtime state after merging. */
  keep?: boolean;
  /** Merge even while the task's agent runs (it is stopped by the clean-up). */
  force?: boolean;
  /** Run config `test` before moving the base (default true). */
  test?: boolean;
  signal?: AbortSignal;
  /** Called as each task is done with, so a caller can report progress. */
  onOutcome?: (o: MergeOutcome) => void;
  warn?: (text: string) => void;
}

export type MergeOutcome =
  | { task: string; result: 'merged'; target: string; commit: string; strategy: MergeStrategy; fastForward: boolean; cleanedUp: boolean; test: TestRun | null }
  | { task: string; result: 'conflict'; target: string; files: string[] }
  | { task: string; result: 'test-failed'; target: string; test: TestRun }
  | { task: string; result: 'skipped'; reason: string };

export interface MergeResult {
  outcomes: MergeOutcome[];
}

/** The main worktree, the only place the base moves: on which branch, dirty, mid-operation. */
async function mainState(ws: Workspace) {
  const status = await gitResult(['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=no'], { cwd: ws.repo.root });
  return {
    branch: await currentBranch(ws.repo.root),
    dirty: status.code === 0 ? status.stdout.split('\0').filter((f) => f.length > 3).length : 1,
    busy: operationInProgress(ws.repo.commonDir),
  };
}

const isLive = (t: TaskView) => LIVE_STATUSES.includes(t.status);

async function uncommittedCount(t: TaskView): Promise<number> {
  return t.worktree && fs.existsSync(t.worktree) ? (await uncommittedPaths(t.worktree)).length : 0;
}

async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  return (await gitResult(['merge-base', '--is-ancestor', a, b], { cwd })).code === 0;
}

type Made = { kind: 'commit'; commit: string; fastForward: boolean; dir?: string } | { kind: 'conflict'; files: string[] } | { kind: 'refused'; reason: string };

/** The commit the base would fast-forward to, made without touching any worktree the user has. */
async function makeMergeCommit(ws: Workspace, t: TaskView, base: string, baseTip: string, tip: string, strategy: MergeStrategy, inDir: (dir: string) => Promise<void>): Promise<Made> {
  const root = ws.repo.root;
  const agent = agentLabel(t.agent ?? 'agent');
  const ff = await isAncestor(root, baseTip, tip);
  if (strategy === 'ff-only') {
    return ff ? { kind: 'commit', commit: tip, fastForward: true } : { kind: 'refused', reason: `${base} has moved since ${t.name} forked: not a fast-forward (git superset rebase ${t.name}, or merge without --ff-only)` };
  }
  if (strategy === 'merge' && ff) return { kind: 'commit', commit: tip, fastForward: true };
  if (strategy === 'rebase') {
    if (ff) return { kind: 'commit', commit: tip, fastForward: true };
    // A rebase needs a work tree: a temporary one, never the task's or the user's.
    let made: Made = { kind: 'conflict', files: [] };
    await withTempWorktree(root, tip, `rebase-${t.name}`, async (dir) => {
      const res = await gitResult(['rebase', '--quiet', baseTip], { cwd: dir });
      if (res.code !== 0) {
        const files = await gitResult(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: dir });
        await gitResult(['rebase', '--abort'], { cwd: dir });
        made = { kind: 'conflict', files: files.stdout.split('\0').filter(Boolean).sort() };
        return;
      }
      const commit = (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
      made = { kind: 'commit', commit, fastForward: false, dir };
      await inDir(dir);
    });
    return made;
  }
  const [merged] = await mergeTrees(root, [[baseTip, tip]]);
  if (!merged!.clean) return { kind: 'conflict', files: [...merged!.conflicts].sort() };
  let message: string;
  let parents: string[];
  if (strategy === 'squash') {
    const subjects = (await git(['log', '--reverse', '--format=%s', `${baseTip}..${tip}`], { cwd: root })).split('\n').filter(Boolean);
    const prompt = new TaskStore(ws.repo).read(t.name)?.prompt;
    message = squashMessage(t.name, agent, prompt, subjects);
    parents = [baseTip];
  } else {
    message = mergeMessage(t.branch, base, t.name, agent);
    parents = [baseTip, tip];
  }
  const commit = (await git(['commit-tree', merged!.tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'], { cwd: root, input: message })).trim();
  return { kind: 'commit', commit, fastForward: false };
}

/**
 * Merges one task into its base: the merge commit is made without touching a worktree, the test
 * gate runs in a temporary worktree of it, and only then does the base fast-forward to it in the
 * main worktree. A conflict or a failing test changes nothing the user can see.
 */
async function mergeOne(ws: Workspace, t: TaskView, base: string, opts: MergeOptions): Promise<MergeOutcome> {
  const root = ws.repo.root;
  const strategy = opts.strategy ?? 'merge';
  const baseTip = await resolveCommit(root, base);
  const tip = await resolveCommit(root, `refs/heads/${t.branch}`);
  if (!baseTip) throw new UserError(msg.merge.unknownBase(base, t.name));
  if (!tip) throw new UserError(msg.merge.noBranch(t.name, t.branch));
  if (await isAncestor(root, tip, baseTip)) return { task: t.name, result: 'skipped', reason: `no commits that ${base} does not have` };

  const gate = opts.test !== false && ws.config.test ? ws.config.test : null;
  let test: TestRun | null = null;
  const runGate = async (dir: string) => {
    if (gate) test = await runTest(gate, dir, { SUPERSET_TASK: t.name, SUPERSET_BRANCH: t.branch, SUPERSET_BASE: base }, opts.signal);
  };
  const made = await makeMergeCommit(ws, t, base, baseTip, tip, strategy, runGate);
  if (made.kind === 'refused') throw new UserError(made.reason);
  if (made.kind === 'conflict') return { task: t.name, result: 'conflict', target: base, files: made.files };
  if (gate && !made.dir) await withTempWorktree(root, made.commit, `test-${t.name}`, runGate);
  throwIfAborted(opts.signal);
  const ran = test as TestRun | null;
  if (ran && !ran.passed) return { task: t.name, result: 'test-failed', target: base, test: ran };

  // Only a fast-forward, in the main worktree that was checked clean and on the base: if anything
  // changed meanwhile (a new commit, a file in the way) git refuses and nothing moves.
  const ff = await gitResult(['merge', '--ff-only', '--quiet', made.commit], { cwd: root });
  if (ff.code !== 0) throw new UserError(msg.merge.cannotFastForward(base, t.name, ff.stderr.trim().split('\n').pop() ?? ''));
  const cleanedUp = await cleanUpMerged(ws, t, { target: base, commit: made.commit, strategy, keep: Boolean(opts.keep), force: opts.force, warn: opts.warn });
  return { task: t.name, result: 'merged', target: base, commit: made.commit, strategy, fastForward: made.fastForward, cleanedUp, test: ran };
}

/** Merges the named tasks in order, stopping at the first that does not merge; or the `--ready` queue. */
export async function mergeTasks(ws: Workspace, opts: MergeOptions): Promise<MergeResult> {
  const names = opts.tasks ?? [];
  if (opts.ready && names.length) throw new UserError(msg.merge.readyWithNames);
  if (!opts.ready && names.length === 0) throw new UserError(msg.merge.noNames);
  for (const n of names) assertTaskName(n);
  // An untrusted gate is not run, and merging as if there were none would skip the user's tests.
  if (opts.test !== false && ws.config.untrusted.some((k) => k === 'test' || k.startsWith('test.'))) {
    throw new UserError(msg.merge.testUntrusted(ws.config.file ?? 'the config'));
  }
  const all = await loadTasks(ws.repo, ws.config, { ahead: false });
  const byName = new Map(all.map((t) => [t.name, t]));
  let fallback: string | null = null;
  const baseOf = (t: TaskView) => taskBaseRef(t, async () => (fallback ??= (await resolveBase(ws.repo, ws.config.base)).ref));
  const main = await mainState(ws);
  const outcomes: MergeOutcome[] = [];
  const report = (o: MergeOutcome) => {
    outcomes.push(o);
    opts.onOutcome?.(o);
  };

  if (!opts.ready) {
    const tasks = names.map((n) => {
      const t = byName.get(n);
      if (!t) throw new UserError(msg.task.noSuch(n));
      return t;
    });
    // Every check before any merge: a refusal leaves everything as it was.
    const bases = new Map<string, string>();
    for (const t of tasks) {
      const base = await baseOf(t);
      bases.set(t.name, base);
      const refusal = mainRefusal(main, base) ?? taskRefusal({ name: t.name, live: isLive(t), uncommitted: await uncommittedCount(t) }, opts);
      if (refusal) throw new UserError(msg.merge.refused(t.name, refusal));
    }
    for (let i = 0; i < tasks.length; i++) {
      const o = await mergeOne(ws, tasks[i]!, bases.get(tasks[i]!.name)!, opts);
      report(o);
      if (o.result === 'conflict' || o.result === 'test-failed') {
        for (const rest of tasks.slice(i + 1)) report({ task: rest.name, result: 'skipped', reason: `not merged: ${o.task} did not merge` });
        break;
      }
    }
    return { outcomes };
  }

  // The queue: whatever is ready, in start order; one that conflicts or fails its test is skipped.
  if (main.busy || main.dirty || !main.branch) throw new UserError(msg.merge.mainRefused(mainRefusal(main, main.branch ?? '(a branch)')));
  for (const t of [...all].sort(byStart)) {
    throwIfAborted(opts.signal);
    const base = await baseOf(t);
    if (base !== main.branch) {
      report({ task: t.name, result: 'skipped', reason: `based on ${base}, and the main worktree is on ${main.branch}` });
      continue;
    }
    const tip = t.commit ?? (await resolveCommit(ws.repo.root, `refs/heads/${t.branch}`));
    const baseTip = await resolveCommit(ws.repo.root, base);
    const commits = tip && baseTip && !(await isAncestor(ws.repo.root, tip, baseTip)) ? 1 : 0;
    const skip = readySkip({ status: t.status, live: isLive(t), commits, uncommitted: commits ? await uncommittedCount(t) : 0 });
    if (skip) {
      report({ task: t.name, result: 'skipped', reason: skip });
      continue;
    }
    const o = await mergeOne(ws, t, base, { ...opts, force: false });
    if (o.result === 'conflict') report({ task: t.name, result: 'skipped', reason: `conflicts with ${base} in ${o.files.join(', ')}` });
    else if (o.result === 'test-failed') report({ task: t.name, result: 'skipped', reason: `test failed (exit ${o.test.exitCode ?? o.test.signal})` });
    else report(o);
  }
  return { outcomes };
}
