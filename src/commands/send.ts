import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { sendMessage } from '../ops/send.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .argument('<message>', 'the text to send (one argument: quote it)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
A running interactive task gets the message typed into its tmux pane as literal text, then Enter.
A task that has ended runs one more headless turn with the message, when its agent can resume
(claude -p --continue, codex exec resume --last, opencode run -c, gemini --resume latest).
A message that starts with "-" goes after "--": git superset send fix-login -- "-v please".

example:
  git superset send fix-login "rebase onto main and resolve the conflict in src/auth.ts"`,
    );
}

export async function run(ctx: Ctx, task: string, message: string, opts: { json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const result = await sendMessage(ws, { task, message, cwd: ctx.cwd, warn: ctx.err });
  // A resumed turn is a live task again.
  ensureWatcherFor(ws.repo);
  if (opts.json) ctx.out(json(result));
  else if (result.how === 'typed') ctx.out(`${msg.send.typed(task)}\n`);
  else ctx.out(`${msg.send.resumed(task)}\n`);
  return 0;
}
