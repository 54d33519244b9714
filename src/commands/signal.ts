import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { Ctx } from '../context.js';
import { signalTask } from '../ops/signal.js';
import { SIGNAL_STATUSES, type SignalStatus } from '../task/lifecycle.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export { SIGNAL_STATUSES };
const isSignalStatus = (s: string | undefined): s is SignalStatus => SIGNAL_STATUSES.includes(s as SignalStatus);

export function define(cmd: Command): void {
  cmd
    .argument('[task]', 'task name (omit it inside a task worktree)')
    .argument('[status]', SIGNAL_STATUSES.join('|'))
    .argument('[ignored...]')
    .addHelpText(
      'after',
      `
What an agent's own hooks call to report its status: running (working on a prompt), waiting
(needs the user: a permission or a question), idle (finished its turn), done (session over: the task reads finishing until its exit is
recorded, then done or failed by the exit code).
Arguments after the status are ignored (codex's notify appends a JSON payload). Runs no git.

examples:
  git superset signal fix-login waiting
  git superset signal idle          # inside a task worktree`,
    );
}

/** Pure: [task?, status] from the words given; anything after the status is ignored. */
export function parseSignalArgs(words: string[]): { task: string | null; status: SignalStatus } {
  if (words.length >= 2 && isSignalStatus(words[1])) return { task: words[0]!, status: words[1] };
  if (isSignalStatus(words[0])) return { task: null, status: words[0] };
  throw new UserError(msg.signal.expectedStatus(SIGNAL_STATUSES));
}

export async function run(ctx: Ctx, task: string | undefined, status: string | undefined, rest: string[]): Promise<number> {
  const words = [task, status, ...(rest ?? [])].filter((w): w is string => w !== undefined);
  const wanted = parseSignalArgs(words);
  const res = await signalTask({ cwd: ctx.cwd, task: wanted.task, status: wanted.status, envTask: process.env.SUPERSET_TASK || undefined });
  // Only when the status moved: a hook firing on every turn costs one pid-file read at most.
  if (res.changed) ensureWatcherFor(res.repo, [res.state]);
  return 0;
}
