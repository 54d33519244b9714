import fs from 'node:fs';
import type { Command } from 'commander';
import { BatchFailed, GitError, Interrupted, LockTimeout, TmuxError, UserError, isGitError } from './errors.js';
import { processCtx, type Ctx } from './context.js';
import * as msg from './messages.js';
import { closest } from './suggest.js';

/** name -> [module, summary]. Only the module of the command being run is imported. */
export const COMMANDS: Record<string, [string, string]> = {
  init: ['init', 'set up git superset in this repository (idempotent; start does it too)'],
  start: ['start', 'start tasks: a branch, a worktree and an agent each'],
  board: ['board', 'one live full-screen view of every task: output, diff, keys to attach, send, stop, remove, merge'],
  ls: ['ls', 'list tasks with their status'],
  status: ['ls', 'same as ls'],
  attach: ['attach', "attach to a task's tmux session"],
  logs: ['logs', "print a task's output"],
  stop: ['stop', "stop a task's agent, keeping its worktree"],
  rm: ['rm', "remove a task's worktree, branch and runtime state"],
  watch: ['watch', 'run the watcher (activity, idle, snapshots) in the foreground; --status, --stop'],
  signal: ['signal', "report a task's status from the agent's own hooks (running|waiting|idle|done)"],
  restore: ['restore', "put a snapshot of a task's uncommitted work back into its worktree"],
  diff: ['diff', 'what a task changed: committed (base...branch) and still uncommitted, labelled'],
  conflicts: ['conflicts', 'predict which task branches conflict with each other and the base (git merge-tree)'],
  merge: ['merge', 'merge tasks into their base behind the config test gate, then clean up; --ready: a merge queue'],
  rebase: ['rebase', 'rebase a task branch onto the newest base in its worktree'],
  compare: ['compare', 'best-of-N variants side by side: status, commits, lines changed, test pass/fail'],
  send: ['send', 'type a message into a running agent, or resume an ended one for one more turn'],
  log: ['log', 'timeline of every task from refs/notes/superset'],
  run: ['run', "start a task's dev server (config run) beside its agent"],
  ports: ['ports', "every task's ports, whether something listens, and its proxy URL"],
  proxy: ['proxy', 'serve http://<task>.localhost:7777/ for each task\'s dev server'],
  path: ['path', "print a task's worktree path"],
  open: ['open', "open a task's worktree in an editor"],
  mcp: ['mcp', 'serve the Model Context Protocol over stdio, so an agent can lead other agents'],
  sync: ['sync', 'share the task record with a remote (fetch, merge and push refs/notes/superset)'],
  trust: ['trust', "let the repository's config file run commands (agents, JavaScript config); --show, --revoke"],
  _exited: ['exited', ''],
};

export interface CommandModule {
  define(cmd: Command): void;
  run(ctx: Ctx, ...args: any[]): Promise<number | void>;
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The commands a user can type (`_exited` is ours, called by the agent wrapper). */
export const publicCommands = (): string[] => Object.keys(COMMANDS).filter((name) => !name.startsWith('_'));

function topHelp(): string {
  const rows = publicCommands().map((name) => `  ${name.padEnd(10)} ${COMMANDS[name]![1]}`);
  return [msg.cli.usage, '', msg.cli.tagline, '', 'commands:', ...rows, '', msg.cli.moreHelp, ''].join('\n');
}

/** `-v`, `-V`, `--version` and `version` all print the version, as users of other CLIs expect. */
const VERSION_WORDS = ['--version', '-V', '-v', 'version'];

/** A command's module, loaded into a commander Command of its own; also what the man page is made from. */
export async function loadCommand(name: string, ctx?: Ctx, onRun?: (code: number) => void) {
  const entry = COMMANDS[name]!;
  // commander and the command's module load only now: --version and --help above stay at bare Node start-up cost.
  // (@vite-ignore: vitest then resolves the .js name to the .ts source, so tests can run main() in-process.)
  const [{ Command }, mod] = await Promise.all([import('commander'), import(/* @vite-ignore */ `./commands/${entry[0]}.js`) as Promise<CommandModule>]);
  const program = new Command('git superset')
    .exitOverride()
    // Errors are reported by report() as one line; commander would print them over 2-3 lines.
    .configureOutput({ writeOut: (t) => ctx?.out(t), writeErr: (t) => ctx?.err(t), outputError: () => {} })
    .showSuggestionAfterError();
  const cmd = program.command(name).description(entry[1]).exitOverride();
  mod.define(cmd);
  if (ctx) {
    cmd.action(async (...actionArgs: unknown[]) => {
      onRun?.((await mod.run(ctx, ...actionArgs.slice(0, -1))) ?? 0);
    });
  }
  return { program, cmd };
}

export async function main(argv: string[], ctx: Ctx = processCtx()): Promise<number> {
  const debug = argv.includes('--debug');
  let args = argv.filter((a) => a !== '--debug');
  // `help <command>` is `<command> --help`, as in git.
  if (args[0] === 'help' && args[1] !== undefined && args[1] !== 'help') args = [args[1], '--help', ...args.slice(2)];
  const first = args[0];
  if (first !== undefined && VERSION_WORDS.includes(first)) {
    ctx.out(`git-superset ${version()}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    ctx.out(topHelp());
    return first === undefined ? 2 : 0;
  }
  if (!COMMANDS[first]) {
    ctx.err(msg.line(first.startsWith('-') ? msg.cli.unknownTopOption(first) : msg.cli.unknownCommand(first, closest(first, publicCommands()))));
    return 2;
  }
  try {
    let code = 0;
    const { program } = await loadCommand(first, ctx, (c) => (code = c));
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    return report(e, ctx, debug, first);
  }
}

/** commander's "error: unknown option '--x'\n(Did you mean --y?)" as one line of ours. */
export function commanderLine(message: string): string {
  return message
    .replace(/^error:\s*/, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\(Did you mean/g, '(did you mean');
}

/**
 * The one map from a failure to an exit code: 2 for what the user can fix in what they typed or
 * asked (UserError), 1 for something else that failed as expected (git, tmux, a lock held too long,
 * some tasks of a batch) or a bug, 130 for Ctrl-C. A UserError may carry its own code (merge's test gate).
 */
export function exitCodeFor(e: unknown): number {
  if (e instanceof Interrupted) return 130;
  if (e instanceof LockTimeout) return 1;
  if (e instanceof UserError) return e.exitCode;
  if (e instanceof GitError || e instanceof TmuxError || e instanceof BatchFailed) return 1;
  return 1;
}

/** The one place errors become exit codes and lines on stderr. */
function report(e: unknown, ctx: Ctx, debug: boolean, command: string): number {
  if (typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('commander.')) {
    const { exitCode, message } = e as Error & { exitCode: number };
    // help and version were printed by commander; its errors were not (outputError above)
    if (exitCode === 0) return 0;
    ctx.err(msg.line(msg.cli.optionError(commanderLine(message), command)));
    return 2;
  }
  if (e instanceof UserError || e instanceof TmuxError) ctx.err(msg.line(e.message));
  else if (e instanceof BatchFailed) for (const l of e.lines()) ctx.err(msg.line(l));
  else if (isGitError(e)) {
    ctx.err(`${e.message}\n`);
    if (debug) ctx.err(`(git ${e.args.join(' ')})\n`);
  } else {
    const err = e as Error;
    ctx.err(debug ? `${err.stack}\n` : msg.line(msg.cli.internal(err?.message ?? String(e))));
  }
  return exitCodeFor(e);
}
