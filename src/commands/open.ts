import type { Command } from 'commander';
import { openWorkspace, type Ctx } from '../context.js';
import { openInEditor } from '../ops/environment.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .option('-e, --editor <command>', 'editor command line (default: config editor, $VISUAL, $EDITOR, else code, cursor, zed, ... on PATH)')
    .option('--json', 'print what was run as JSON')
    .addHelpText(
      'after',
      `
GUI editors (code, cursor, windsurf, zed, idea, webstorm and other JetBrains launchers, xed, subl)
open a window; terminal editors (vim, nvim, emacs -nw, ...) take this terminal, or a new window of
the task's tmux session when this is not a terminal.

examples:
  git superset open fix-login
  git superset open fix-login --editor "code -n"`,
    );
}

export async function run(ctx: Ctx, name: string, opts: { editor?: string; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const res = await openInEditor(ws, name, { editor: opts.editor, isTTY: ctx.isTTY, visual: process.env.VISUAL, editorVar: process.env.EDITOR });
  if (opts.json) ctx.out(JSON.stringify({ task: res.task, argv: res.argv, where: res.where }) + '\n');
  else if (res.where !== 'terminal') ctx.out(`${msg.env.opened(name, res.argv[0]!, res.where === 'tmux')}\n`);
  return res.wait ? await res.wait : 0;
}
