import fs from 'node:fs';
import type { Command } from 'commander';
import { isGitError, isUserError } from './errors.js';
import { processCtx, type Ctx } from './context.js';

/** name -> [module, summary]. Only the module of the command being run is imported. */
const COMMANDS: Record<string, [string, string]> = {
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

function topHelp(): string {
  const rows = Object.entries(COMMANDS)
    .filter(([name]) => !name.startsWith('_'))
    .map(([name, [, summary]]) => `  ${name.padEnd(10)} ${summary}`);
  return [
    'usage: git superset <command> [options]',
    '',
    'Run many coding agents at once, each on its own branch and git worktree.',
    '',
    'commands:',
    ...rows,
    '',
    "Run 'git superset <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export async function main(argv: string[], ctx: Ctx = processCtx()): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const first = args[0];
  if (first === '--version' || first === '-V' || first === 'version') {
    ctx.out(`git-superset ${version()}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    ctx.out(topHelp());
    return first === undefined ? 2 : 0;
  }
  const entry = COMMANDS[first];
  if (!entry) {
    ctx.err(`git superset: unknown command '${first}' (see 'git superset --help')\n`);
    return 2;
  }
  try {
    // commander and the command's module load only now: --version and --help above stay at bare Node start-up cost.
    const [{ Command }, mod] = await Promise.all([import('commander'), import(`./commands/${entry[0]}.js`) as Promise<CommandModule>]);
    let code = 0;
    const program = new Command('git superset')
      .exitOverride()
      .configureOutput({ writeOut: ctx.out, writeErr: ctx.err })
      .showSuggestionAfterError();
    const cmd = program.command(first).description(entry[1]).exitOverride().showHelpAfterError('(add --help for usage)');
    mod.define(cmd);
    cmd.action(async (...actionArgs: unknown[]) => {
      code = (await mod.run(ctx, ...actionArgs.slice(0, -1))) ?? 0;
    });
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    return report(e, ctx, debug);
  }
}

/** The one place errors become exit codes. */
function report(e: unknown, ctx: Ctx, debug: boolean): number {
  if (typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('commander.')) {
    // commander already printed its message (or the help it was asked for)
    return (e as Error & { exitCode: number }).exitCode === 0 ? 0 : 2;
  }
  if (isUserError(e)) {
    ctx.err(`git superset: ${e.message}\n`);
    return e.exitCode;
  }
  if (isGitError(e)) {
    ctx.err(`${e.message}\n`);
    if (debug) ctx.err(`(git ${e.args.join(' ')})\n`);
    return 1;
  }
  const err = e as Error;
  ctx.err(debug ? `${err.stack}\n` : `git superset: ${err.message} (run with --debug for details)\n`);
  return 1;
}
