import { Option, type Command } from 'commander';
import { interruptible, json, openWorkspace, type Ctx } from '../context.js';
import { mergeTasks, type MergeOutcome, type MergeStrategy } from '../ops/merge.js';
import { tail } from '../task/merge-rules.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

interface MergeFlags {
  squash?: boolean;
  rebase?: boolean;
  ffOnly?: boolean;
  keep?: boolean;
  force?: boolean;
  test?: boolean;
  ready?: boolean;
  json?: boolean;
}

export function define(cmd: Command): void {
  cmd
    .argument('[tasks...]', 'tasks to merge, in this order')
    .addOption(new Option('--squash', 'one commit on the base: the prompt\'s first line as subject, the task trailers kept').conflicts(['rebase', 'ffOnly']))
    .addOption(new Option('--rebase', 'replay the task\'s commits onto the base (in a temporary worktree)').conflicts(['ffOnly']))
    .option('--ff-only', 'only a fast-forward; refuse when the base has moved')
    .option('--ready', 'the merge queue: every ended, done task with commits that merges clean, in start order')
    .option('--keep', 'keep the worktree, branch and runtime state after merging')
    .option('-f, --force', 'merge even while the agent runs (it is stopped, unless --keep)')
    .option('--no-test', 'skip the config `test` gate')
    .option('--json', 'print the outcome of each task as JSON')
    .addHelpText(
      'after',
      `
Merges each task into its base branch, which must be checked out, clean, in the main worktree.
With config "test" set, each merge is first made in a temporary worktree and the test runs there;
the base moves (a fast-forward to that merge) only when it passes. A conflict or a failing test
changes nothing: HEAD, index and work tree stay as they were, and the next tasks are not merged.
After a merge the task's worktree, branch, tmux session and runtime state are removed (--keep).

examples:
  git superset merge fix-login
  git superset merge a b c --squash
  git superset conflicts && git superset merge --ready`,
    );
}

function strategy(f: MergeFlags): MergeStrategy {
  return f.squash ? 'squash' : f.rebase ? 'rebase' : f.ffOnly ? 'ff-only' : 'merge';
}

/** Pure: one outcome as the user reads it. */
export function outcomeText(o: MergeOutcome): string {
  switch (o.result) {
    case 'merged': {
      const how = o.fastForward ? 'fast-forward' : o.strategy === 'merge' ? 'merge commit' : o.strategy;
      const test = o.test ? `, test passed in ${(o.test.ms / 1000).toFixed(1)}s` : '';
      return `merged ${o.task} into ${o.target} (${how} ${o.commit.slice(0, 12)}${test})${o.cleanedUp ? '; worktree and branch removed' : ''}\n`;
    }
    case 'conflict':
      return (
        `${o.task} conflicts with ${o.target} in ${o.files.join(', ') || '(files not named by git)'}: nothing was changed\n` +
        `  next: git superset rebase ${o.task}, or git superset send ${o.task} "rebase onto ${o.target} and resolve the conflict in ${o.files[0] ?? 'the conflicting files'}"\n`
      );
    case 'test-failed': {
      const code = o.test.signal ? `signal ${o.test.signal}` : `exit ${o.test.exitCode}`;
      const out = tail(o.test.output);
      return `${o.task}: test failed (${code}); ${o.target} was not changed\n${out ? out.replace(/^/gm, '  | ') + '\n' : ''}`;
    }
    case 'skipped':
      return `skipped ${o.task}: ${o.reason}\n`;
  }
}

export async function run(ctx: Ctx, names: string[], flags: MergeFlags): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const result = await interruptible(ctx, (signal) =>
    mergeTasks(ws, {
      tasks: names,
      ready: flags.ready,
      strategy: strategy(flags),
      keep: flags.keep,
      force: flags.force,
      test: flags.test,
      signal,
      warn: ctx.err,
      onOutcome: flags.json ? undefined : (o) => (o.result === 'conflict' || o.result === 'test-failed' ? ctx.err : ctx.out)(outcomeText(o)),
    }),
  );
  if (flags.json) ctx.out(json(result.outcomes));
  if (flags.ready) return 0;
  return result.outcomes.every((o) => o.result === 'merged') ? 0 : 1;
}
