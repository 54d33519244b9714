/**
 * Every user-facing message text, in one module (as lint-staged keeps lib/messages.js): the wording
 * stays consistent, the fix each message names can be reviewed in one read, and tests can match
 * the same text. Modules throw `new UserError(msg.x(...))` or print `line(msg.x(...))`.
 * Pure: no I/O, no imports beyond types, so cli.ts can load it on the --help path for free.
 */

/** The one prefix of every line we print about ourselves on stderr (hooks in sh spell it the same). */
export const PREFIX = 'git superset:';

/** One line on stderr: the prefix, the text, a newline. */
export const line = (text: string): string => `${PREFIX} ${text}\n`;

// ---- the command line (src/cli.ts)
export const cli = {
  unknownCommand: (name: string, suggestion: string | null): string =>
    `unknown command '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''} (see 'git superset --help')`,
  unknownTopOption: (flag: string): string => `unknown option '${flag}' (see 'git superset --help')`,
  /** commander's own error text (already lower-cased and on one line), pointing at the command's help. */
  optionError: (text: string, command: string): string => `${text} (see 'git superset ${command} --help')`,
  internal: (text: string): string => `${text} (run with --debug for details)`,
  usage: 'usage: git superset <command> [options]',
  tagline: 'Run many coding agents at once, each on its own branch and git worktree.',
  moreHelp: "Run 'git superset <command> --help' (or 'git superset help <command>') for a command's options.",
};

// ---- finding the repository (src/git/repo.ts)
export const repo = {
  notARepo: (cwd: string): string => `not a git repository: ${cwd} (run git superset inside one)`,
  bare: (gitDir: string): string =>
    `${gitDir} is a bare repository, and tasks need a work tree: clone it (git clone ${gitDir} <dir>) and run git superset in the clone`,
  insideGitDir: (gitDir: string): string => `${gitDir} is a git directory, not a work tree: run git superset in the repository's work tree (${gitDir.replace(/\/\.git$/, '')})`,
  notFound: 'cannot find the git repository',
};

// ---- config files (src/config/load.ts)
export const config = {
  unreadable: (file: string, reason: string): string => `config ${file}: cannot be read: ${reason}`,
};

// ---- ls (src/commands/ls.ts)
export const ls = {
  empty: "no tasks yet: start one with 'git superset start <task> --agent <agent> --prompt <prompt>'",
};

// ---- stop (src/commands/stop.ts)
export const stop = {
  notRunning: (name: string, status: string): string => `${name} is not running (${status})`,
  stopped: (name: string, killed: boolean, worktree: string | null, dequeued = false): string =>
    dequeued ? `stopped ${name}: taken out of the queue before it was launched (git superset start ${name} starts it)` : `stopped ${name}${killed ? ' (killed after timeout)' : ''}; worktree kept at ${worktree}`,
  badTimeout: (value: string): string => `--timeout takes a number of seconds, not ${JSON.stringify(value)}`,
  notRecorded: (reason: string): string => `could not record the stop: ${reason}`,
};

// ---- logs (src/commands/logs.ts)
export const logs = {
  none: (name: string, file: string): string => `task ${name} has no log yet (${file})`,
  /** The line written into a task's log at each launch, so a relaunch's output is told apart. */
  launchHeader: (n: number, time: string, agent: string): string => `── launch ${n} · ${time} · ${agent} ──`,
};

// ---- tmux (src/runner/launch.ts)
export const tmux = {
  /** At the foot of a failed agent's pane, kept so its error can be read (tmux format). */
  deadPane: (task: string): string =>
    `${PREFIX} the agent exited with #{pane_dead_status}; detach with Ctrl-b d, then git superset start ${task} to relaunch or rm ${task} to clean up`,
};
