import type { Command } from 'commander';
import { COMMANDS, loadCommand, publicCommands } from './cli.js';

/**
 * man/git-superset.1, made from the same commander definitions as `--help` (each command module's
 * define()), so the page cannot drift from the CLI: `npm run build` rewrites it
 * (scripts/gen-man.js) and test/unit/man-page.test.ts fails when the committed page is stale.
 */

/** Text safe in roff: backslashes, hyphens (so flags copy-paste as ASCII), and control lines. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

/** What `addHelpText('after', ...)` added: the notes and examples below the options. */
function afterHelp(cmd: Command): string {
  let text = '';
  // the event commander's outputHelp emits; its listeners are the addHelpText('after') texts
  (cmd as unknown as NodeJS.EventEmitter).emit('afterHelp', { error: false, command: cmd, write: (t: string) => (text += t) });
  return text.replace(/^\n+/, '').replace(/\s+$/, '');
}

function section(name: string, cmd: Command): string[] {
  const lines = [`.SS "git superset ${name} ${roff(cmd.usage()).replace(/"/g, '')}"`, roff(cmd.description())];
  for (const arg of cmd.registeredArguments) {
    if (!arg.description) continue;
    const shown = arg.required ? `<${arg.name()}${arg.variadic ? '...' : ''}>` : `[${arg.name()}${arg.variadic ? '...' : ''}]`;
    lines.push('.TP', `.I ${roff(shown)}`, roff(arg.description));
  }
  for (const opt of cmd.options) {
    if (opt.hidden) continue;
    lines.push('.TP', `.B ${roff(opt.flags)}`, roff(opt.description));
  }
  const after = afterHelp(cmd);
  if (after) lines.push('.PP', '.nf', roff(after), '.fi');
  return lines;
}

const HEAD = `.TH GIT-SUPERSET 1 "2026" "git-superset" "Git Manual"
.SH NAME
git-superset \\- run many coding agents at once, each on its own branch and git worktree
.SH SYNOPSIS
.B git superset
.I command
.RI [ options ]
.SH DESCRIPTION
Each task gets a branch
.RI superset/ task ,
a worktree beside the repository and an agent (claude, codex, gemini, opencode, aider, amp,
cursor-agent, copilot, or any command line) running in tmux or headless.
Everything is recorded in git: commit trailers, notes in refs/notes/superset, and snapshots of
uncommitted work in refs/superset/snapshots/\\fItask\\fR.
Run \\fBgit superset\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR (or \\fBgit superset help\\fR \\fIcommand\\fR) for a command's options.
\\fB\\-v\\fR, \\fB\\-\\-version\\fR print the version; \\fB\\-\\-debug\\fR on any command prints a stack trace for unexpected errors.`;

const TAIL = `.SH EXIT STATUS
0 on success, 2 for a usage or input error (one line on stderr), 1 when git or something else failed.
.SH SEE ALSO
.BR git-worktree (1),
.BR git-notes (1),
.BR tmux (1)`;

export async function manPage(): Promise<string> {
  const names = publicCommands();
  const list: string[] = [];
  const details: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const module = COMMANDS[name]![0];
    const alias = seen.get(module);
    list.push('.TP', `.B ${name}`, roff(alias ? `same as ${alias}` : COMMANDS[name]![1]));
    if (alias) continue;
    seen.set(module, name);
    const { cmd } = await loadCommand(name);
    details.push(...section(name, cmd));
  }
  return [HEAD, '.SH COMMANDS', ...list, '.SH OPTIONS AND EXAMPLES', ...details, TAIL, ''].join('\n');
}
