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

/** Something worth knowing that did not stop the command. */
export const warning = (text: string): string => `warning: ${text}`;

// ---- bookkeeping that must never fail the user's command (src/task/events.ts bestEffort)
export const record = {
  failed: (what: string, reason: string): string => `could not record ${what}: ${reason}`,
};

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

// ---- expected failures (src/errors.ts)
export const errors = {
  interrupted: 'interrupted',
  tmux: (command: string, reason: string): string => `tmux ${command} failed: ${reason}`,
  lockTimeout: (lockPath: string, holder: string): string =>
    `timed out waiting for ${lockPath}${holder ? ` (held by pid ${holder})` : ''}: another git superset command is busy; try again, or delete the file if no such process runs`,
};

// ---- finding the repository (src/git/repo.ts)
export const repo = {
  notARepo: (cwd: string): string => `not a git repository: ${cwd} (run git superset inside one)`,
  bare: (gitDir: string): string =>
    `${gitDir} is a bare repository, and tasks need a work tree: clone it (git clone ${gitDir} <dir>) and run git superset in the clone`,
  insideGitDir: (gitDir: string): string => `${gitDir} is a git directory, not a work tree: run git superset in the repository's work tree (${gitDir.replace(/\/\.git$/, '')})`,
  notFound: 'cannot find the git repository',
  noMainWorktree: 'cannot find the main worktree of this repository',
};

// ---- config files (src/config/load.ts)
export const config = {
  unreadable: (file: string, reason: string): string => `config ${file}: cannot be read: ${reason}`,
  invalid: (file: string, problem: string): string => `config ${file}: ${problem}`,
  badPattern: (key: string, pattern: string, problem: string): string => `config ${key}: pattern ${JSON.stringify(pattern)} ${problem}`,
};

// ---- tasks by name (src/task/require.ts and every op that takes a name)
export const task = {
  noSuch: (name: string): string => `no such task: ${name} (see git superset ls)`,
  invalidName: (name: string, problem: string): string => `invalid task name ${JSON.stringify(name)}: it ${problem}`,
  badTaskFileLine: (file: string, line: number, text: string): string => `${file}:${line}: expected "name: prompt", got ${JSON.stringify(text)}`,
  notStarted: (name: string, status: string): string =>
    `task ${name} is ${status} and has not started yet: it has no worktree or branch (git superset start ${name} starts it now)`,
};

// ---- start of a task that waits (src/commands/start.ts, the MCP start_task tool)
export const waiting = {
  /** `--after` on a task that ran already (or has a branch): nothing can come before it any more. */
  startedAlready: (name: string): string => `${name} has started already: --after is for a new task, or one still waiting (git superset rm ${name} first to start it anew)`,
  badPrerequisite: (name: string, problem: string): string => `invalid prerequisite ${JSON.stringify(name)}: a task name that ${problem}`,
  /** A task `start` recorded instead of launching: blocked (why), after others (whom), or queued for a slot. */
  line: (q: { name: string; status: string; reason?: string; after?: readonly string[]; queuePosition?: number | null }): string => {
    if (q.status === 'blocked') return `blocked ${q.name}: ${q.reason ?? 'a prerequisite cannot finish'} (fix that, then git superset start ${q.name})`;
    if (q.after?.length) return `queued ${q.name}: it starts when ${q.after.join(', ')} ${q.after.length > 1 ? 'are' : 'is'} done, from ${q.after.length > 1 ? 'their work merged' : 'its work'}`;
    return `queued ${q.name}${q.queuePosition ? ` (position ${q.queuePosition} in the queue)` : ''}: it starts when a slot frees (git superset start ${q.name} starts it now)`;
  },
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
  noRunOutput: (name: string): string => `task ${name} has no dev-server output: start it with git superset run ${name}`,
  /** The line written into a task's log at each launch, so a relaunch's output is told apart. */
  launchHeader: (n: number, time: string, agent: string): string => `── launch ${n} · ${time} · ${agent} ──`,
};

// ---- tmux (src/runner/launch.ts)
export const tmux = {
  foreignSession: (session: string, killArgv: readonly string[]): string =>
    `a tmux session ${session} already exists and is not this task's: end it (tmux ${killArgv.join(' ')}), then start again`,
  /** At the foot of a failed agent's pane, kept so its error can be read (tmux format). */
  deadPane: (task: string): string =>
    `${PREFIX} the agent exited with #{pane_dead_status}; detach with Ctrl-b d, then git superset start ${task} to relaunch or rm ${task} to clean up`,
};

// ---- sync (src/ops/sync.ts, src/commands/sync.ts)
export const sync = {
  notARemoteName: (remote: string): string => `not a remote name: ${remote} (see git remote -v)`,
  noSuchRemote: (remote: string): string => `no such remote: ${remote} (add one with git remote add ${remote} <url>)`,
  cannotFetch: (remote: string, reason: string): string => `cannot fetch notes from ${remote}: ${reason}`,
  cannotPushNotes: (ref: string, remote: string, reason: string): string => `cannot push ${ref} to ${remote}: ${reason}`,
  cannotPushBranches: (remote: string, reason: string): string => `cannot push task branches to ${remote}: ${reason}`,
  /** `pushedRef` null: there was nothing to push. */
  summary: (remote: string, merged: boolean, pushedRef: string | null): string =>
    `${merged ? `merged ${remote}'s notes` : `${remote} had no notes yet`}; ${pushedRef ? `pushed ${pushedRef}` : 'nothing to push'}`,
  branchesPushed: (n: number): string => `pushed ${n} task branch${n === 1 ? '' : 'es'}`,
  branchesRejected: (names: readonly string[]): string => `not pushed (the remote has other commits; fetch and merge them first): ${names.join(', ')}`,
};

// ---- signal (src/ops/signal.ts, src/commands/signal.ts)
export const signal = {
  expectedStatus: (statuses: readonly string[]): string => `expected a status (${statuses.join(', ')}): git superset signal [task] <status>`,
  notARepo: (cwd: string): string => `not a git repository: ${cwd} (run git superset signal inside one)`,
  notInTask: 'not inside a task worktree: name the task (git superset signal <task> <status>)',
};

// ---- log (src/commands/log.ts)
export const log = {
  noEventsFor: (name: string): string => `no events for ${name} yet`,
  noEvents: "no events yet: start a task with 'git superset start <task>'",
};

// ---- restore (src/ops/restore.ts, src/commands/restore.ts)
export const restore = {
  noWorktree: (name: string): string => `task ${name} has no worktree to restore into`,
  noSuchSnapshot: (rev: string): string => `no such snapshot: ${rev}`,
  noSnapshots: (name: string): string => `task ${name} has no snapshots yet (they are taken while the watcher runs)`,
  othersSnapshot: (rev: string, owner: string, name: string): string => `${rev} is a snapshot of task ${owner || '(unknown)'}, not of ${name}`,
  operationInProgress: (what: string, worktree: string): string => `${what} is in progress in ${worktree}: finish or abort it, then restore`,
  statusUnknown: (worktree: string, reason: string): string => `could not tell whether ${worktree} has uncommitted changes (${reason}); nothing restored`,
  dirty: (n: number, worktree: string): string =>
    `refusing to restore over ${n} uncommitted file${n === 1 ? '' : 's'} in ${worktree} (use --force: they are snapshotted first)`,
  savedFirst: (commit: string): string => `saved the overwritten changes as snapshot ${commit.slice(0, 12)}`,
  restored: (r: { name: string; restored: string; worktree: string; branch: string }): string =>
    `restored ${r.name} from snapshot ${r.restored.slice(0, 12)} into ${r.worktree} (uncommitted; HEAD and ${r.branch} unchanged)`,
};

// ---- rebase (src/ops/rebase.ts, src/commands/rebase.ts)
export const rebase = {
  stillRunning: (name: string): string => `${name} is still running: stop it first, or use --force`,
  noWorktree: (name: string): string => `${name} has no worktree to rebase in`,
  midOperation: (name: string, what: string): string => `${name}'s worktree is in the middle of ${what}: finish or abort it there first`,
  notCheckedOut: (name: string, branch: string): string => `${name}'s worktree does not have ${branch} checked out`,
  dirty: (name: string, n: number): string => `${name} has ${n} uncommitted file${n === 1 ? '' : 's'}: commit them first (or stop it and let commit-on-exit do it)`,
  unknownBase: (base: string, name: string): string => `unknown base ${base} of ${name}`,
  failed: (worktree: string, reason: string): string => `git rebase failed in ${worktree}: ${reason}`,
  upToDate: (name: string, onto: string): string => `${name} is already on top of ${onto}`,
  rebased: (name: string, onto: string, from: string, to: string): string => `rebased ${name} onto ${onto} (${from.slice(0, 12)} -> ${to.slice(0, 12)})`,
  /** Three lines: what stopped, where it is left, and how an agent can be asked to finish it. */
  conflict: (name: string, onto: string, files: readonly string[], worktree: string): string =>
    `${name}: rebase onto ${onto} stopped on a conflict in ${files.join(', ') || '(see git status)'}\n` +
    `  the worktree ${worktree} is left mid-rebase: resolve, then git rebase --continue (or --abort)\n` +
    `  or: git superset send ${name} "resolve the rebase conflict in ${files[0] ?? 'the conflicting files'} and continue the rebase"`,
};

// ---- the dev server, ports and editor (src/ops/environment.ts; run, ports, open, proxy)
export const env = {
  noWorktree: (name: string): string => `task ${name} has no worktree (it was removed)`,
  noRunCommand: 'no dev-server command: set config "run" (e.g. "npm run dev -- --port $PORT")',
  noEditor: 'no editor found: pass --editor, set config "editor" or $VISUAL/$EDITOR, or install code, cursor, zed, subl...',
  editorNotFound: (binary: string, from: string): string => `editor not found: ${binary} (from ${from})`,
  editorNeedsTerminal: (binary: string): string => `${binary} needs a terminal: run this from one, or use a GUI editor (--editor code)`,
  alreadyRunning: (name: string, pid: number | undefined): string => `${name}'s dev server already runs (pid ${pid}); --restart to restart it`,
  devServerStarted: (name: string, inTmux: boolean, pid: number | undefined): string =>
    `started ${name}'s dev server${inTmux ? ' in its tmux window "run"' : ''} (pid ${pid}); output: git superset logs ${name} --run`,
  noPorts: 'no task has ports: set config "ports" (a number, or names like ["web", "api"])',
  opened: (name: string, editor: string, inTmux: boolean): string =>
    `opened ${name} with ${editor}${inTmux ? ` in a window of its tmux session (git superset attach ${name})` : ''}`,
  badPort: (value: string | undefined): string => `--port takes a port number, not ${JSON.stringify(value)}`,
  portInUse: (port: number): string => `port ${port} is in use: pick another with --port`,
  /** config setup/teardown: what ran, how it ended, the tail of its output. */
  stepFailed: (step: string, command: string, code: number | null, tail: string): string =>
    `${step} failed: ${JSON.stringify(command)} exited ${code ?? 'by a signal'}${tail ? `; last output:\n${tail}` : ''}`,
};

// ---- send (src/ops/send.ts, src/commands/send.ts)
export const send = {
  empty: 'the message is empty',
  headless: (name: string): string => `${name} runs headless and reads no input: wait until it ends (send then resumes it), or stop it first`,
  noSession: (name: string): string => `${name} has no tmux session any more`,
  cannotType: (name: string, reason: string): string => `could not type into ${name}'s pane: ${reason}`,
  noRecord: (name: string): string => `${name} has no runtime record (rebuilt from git): start it again with a prompt instead`,
  noWorktree: (name: string): string => `${name} has no worktree any more: nothing to resume in`,
  cannotResume: (name: string, agent: string): string => `${name} has ended and its agent (${agent}) has no headless resume form: start a new task with this prompt`,
  typed: (name: string): string => `sent to ${name} (attach: git superset attach ${name})`,
  resumed: (name: string): string => `resumed ${name} for one more turn, headless (logs: git superset logs ${name})`,
};

// ---- attach, init, trust (their commands)
export const attach = {
  notTmux: (name: string): string => `task ${name} does not run in tmux: use git superset logs ${name}`,
  noSession: (name: string, status: string): string => `task ${name} has no tmux session any more (status ${status}): use git superset logs ${name}`,
};
export const init = {
  done: (stateDir: string, created: boolean): string => (created ? `initialised git superset in ${stateDir}` : `git superset is already set up in ${stateDir}`),
};
export const trust = {
  showAndRevoke: '--show and --revoke do not go together',
  noConfig: (root: string): string => `no config file in ${root}: nothing to trust`,
};

// ---- the board (src/commands/board.ts, src/board/*): its prompts, message bar and pane texts.
// The key legend (format.ts footerText, helpLines), column headers and the screen's title stay
// beside the layout they are aligned with, as commander's option descriptions stay in commands.
export const board = {
  needsTerminal: 'board needs a terminal (use git superset ls --json in scripts)',
  // what a key says before it acts (src/board/model.ts)
  noSelection: 'no task selected',
  noLiveSession: (name: string): string => `${name} has no live tmux session: l shows its log`,
  headlessNoInput: (name: string): string => `${name} runs headless and reads no input: send works once it ends`,
  noWorktreeToOpen: (name: string): string => `${name} has no worktree to open`,
  confirmStop: (name: string): string => `stop ${name}? (y/N)`,
  confirmRemove: (name: string): string => `remove ${name} (worktree, branch, state)? (y/N)`,
  confirmMerge: (name: string, base: string | null): string => `merge ${name} into ${base ?? 'its base'} (test gate, then clean up)? (y/N)`,
  /** rm refused: what would be lost, and a second question. */
  confirmForceRemove: (name: string, lost: string): string => `not removed: ${name}: ${lost}. Remove it anyway and lose that? (y/N)`,
  cancelled: (action: string): string => `${action} cancelled`,
  sendCancelled: 'send cancelled',
  nothingSent: 'nothing sent',
  newCancelled: 'new task cancelled',
  needsName: 'a task needs a name',
  sending: (name: string): string => `sending to ${name}…`,
  stopping: (name: string): string => `stopping ${name}…`,
  merging: (name: string): string => `merging ${name}…`,
  removing: (name: string): string => `removing ${name}…`,
  starting: (name: string): string => `starting ${name}…`,
  opening: (name: string): string => `opening ${name}…`,
  // the outcome of an action, one line in the message bar (src/board/actions.ts)
  noSuchTask: (name: string): string => `no such task: ${name}`,
  /** Neither a UserError nor a GitError: a bug's own message. */
  failed: (reason: string): string => `failed: ${reason}`,
  gitFailed: 'git failed',
  stopped: (name: string, killed: boolean): string => `stopped ${name}${killed ? ' (killed after timeout)' : ''}; worktree kept`,
  removed: (name: string): string => `removed ${name}`,
  notRemoved: (name: string): string => `${name} was not removed`,
  /** `how` undefined: start reported no task (nothing to say but the name). */
  started: (name: string, how?: { relaunched: boolean; runner: string }): string =>
    how ? `${how.relaunched ? 'relaunched' : 'started'} ${name} (${how.runner})` : `started ${name}`,
  sent: (name: string): string => `sent to ${name}`,
  resumed: (name: string): string => `${name} resumed with the message (headless)`,
  notMerged: (name: string): string => `${name} was not merged`,
  merged: (name: string, target: string, strategy: string, fastForward: boolean, removed: boolean): string =>
    `merged ${name} into ${target} (${strategy}${fastForward ? ', fast-forward' : ''})${removed ? '; removed' : ''}`,
  mergeConflict: (name: string, target: string, files: readonly string[]): string => `${name} conflicts with ${target} in ${files.join(', ')}: nothing merged`,
  mergeTestFailed: (name: string, target: string): string => `the test failed on ${name} merged into ${target}: nothing merged`,
  mergeSkipped: (name: string, reason: string): string => `${name} not merged: ${reason}`,
  /** A terminal editor ran in the board's place and exited. */
  backFromEditor: (editor: string, name: string, code: number | null): string => (code === 0 ? `back from ${editor} (${name})` : `${editor} exited ${code} (${name})`),
  // the list and the right pane (src/board/view.ts, src/board/detail.ts)
  noMatch: '(no task matches the filter: Esc clears it)',
  noTasks: 'no tasks yet: n starts one',
  overlaps: (overlaps: readonly { task: string; files: readonly string[] }[]): string => `! overlaps ${overlaps.map((o) => `${o.task} (${o.files.join(', ')})`).join('; ')}`,
  blocked: (name: string, reason: string): string => `blocked: ${reason} (start ${name} retries it)`,
  waitsFor: (names: readonly string[]): string => `waits for ${names.join(', ')}`,
  loading: (what: string): string => `loading ${what}…`,
  statHeading: (base: string): string => `── diff --stat vs ${base} (* uncommitted) ──`,
  viewTitle: (what: 'diff' | 'log', name: string, lines: number): string => `${what} of ${name} (${lines} lines)`,
  noOutput: '(no output yet)',
  noWorktree: '(no worktree)',
  noForkPoint: (branch: string, base: string): string => `(cannot find where ${branch} left ${base})`,
  noChanges: (base: string): string => `(no changes against ${base})`,
  untrackedHeading: 'untracked (not in the diff):',
  // the prompt line while one is typed (the cursor ▏ after the text)
  filterPrompt: (text: string): string => `/${text}▏  (Enter keeps it, Esc clears)`,
  sendPrompt: (name: string, text: string): string => `send to ${name}: ${text}▏  (Enter sends, Esc cancels)`,
  newPrompt: (step: 'name' | 'prompt' | 'agent', name: string, text: string): string =>
    `new task ${step === 'name' ? 'name' : step === 'prompt' ? `${name}: prompt` : `${name}: agent (empty: the configured default)`}: ${text}▏  (Esc cancels)`,
};

// ---- the watcher (src/commands/watch.ts, src/watch/*)
export const watch = {
  running: (pid: number | null): string => (pid ? `watcher running (pid ${pid})` : 'watcher not running'),
  stopped: (how: 'not-running' | 'stopped' | 'killed'): string => (how === 'not-running' ? 'watcher not running' : `watcher stopped${how === 'killed' ? ' (killed after timeout)' : ''}`),
  alreadyRuns: (pid: number): string => `a watcher already runs for this repository (pid ${pid}); see git superset watch --status, or stop it with --stop`,
  /** A line of the foreground watcher's own log on stderr. */
  logLine: (line: string): string => `${PREFIX} watch: ${line}`,
  outOfWatches: (limit: number | null, suggested: number): string =>
    `the OS ran out of inotify watches (ENOSPC${limit ? `, limit ${limit}` : ''}); some files are not watched. Raise it: sudo sysctl fs.inotify.max_user_watches=${suggested}`,
  tooManyFiles: (suggested: number): string =>
    `too many open files (EMFILE); some files are not watched. Raise the limits: ulimit -n 65536, or sudo sysctl fs.inotify.max_user_watches=${suggested} fs.inotify.max_user_instances=1024`,
  // the daemon's log lines (src/watch/daemon.ts, src/watch/notify.ts); watch.ts puts each through
  // logLine in the foreground, after a timestamp with --daemon
  watching: (root: string, pid: number): string => `watching ${root} (pid ${pid})`,
  tickFailed: (reason: string): string => `tick failed: ${reason}`,
  /** Anything that escaped a task's share of the work (an unhandled rejection, say). */
  stray: (reason: string): string => `error (the watcher goes on): ${reason}`,
  stopping: (why: string): string => `stopping: ${why}`,
  // why it stops (the reason of `stopping`)
  repoGone: 'the repository is gone',
  pidFileRemoved: 'the pid file was removed',
  otherOwner: 'another watcher owns this repository',
  noLiveTask: 'no live task',
  receivedSignal: (signal: string): string => `received ${signal}`,
  cannotWatchTaskDir: (dir: string, reason: string): string => `cannot watch ${dir}: ${reason} (the queue is checked every tick)`,
  cannotRecordStarted: (reason: string): string => `could not record the started events: ${reason}`,
  queueFailed: (reason: string): string => `launching the queue failed: ${reason}`,
  /** One task's share of a tick failed; the other tasks' go on. */
  taskFailed: (task: string, reason: string): string => `${task}: ${reason} (the watcher goes on)`,
  taskError: (task: string, reason: string): string => `${task}: ${reason}`,
  /** The reason recorded with the `stopped` event of a tmux task whose terminal is gone. */
  lostTerminal: (session: string): string => `its tmux session ${session} went away`,
  ending: (task: string, reason: string): string => `${task}: ${reason}: ending its agent`,
  agentStopped: (task: string, how: string): string => `${task}: stopped (${how})`,
  cannotEnd: (task: string, reason: string): string => `${task}: could not end its agent: ${reason}`,
  statusChanged: (task: string, from: string, to: string, reason?: string): string => `${task}: ${from} -> ${to}${reason ? ` (${reason})` : ''}`,
  cannotRecordExit: (task: string, reason: string): string => `${task}: could not record its exit: ${reason}`,
  cannotWatch: (task: string, worktree: string, reason: string): string => `${task}: cannot watch ${worktree}: ${reason}`,
  watchingTask: (task: string, worktree: string): string => `${task}: watching ${worktree}`,
  stoppedWatching: (task: string, status: string): string => `${task}: stopped watching (${status})`,
  recordedCommits: (n: number): string => `recorded ${n} commit${n === 1 ? '' : 's'} made without our hooks`,
  recordingCommitsFailed: (reason: string): string => `recording commits failed: ${reason}`,
  snapshot: (task: string, commit: string): string => `${task}: snapshot ${commit.slice(0, 12)}`,
  snapshotFailed: (task: string, reason: string): string => `${task}: snapshot failed: ${reason}`,
  watchError: (task: string, reason: string): string => `${task}: watch error: ${reason}`,
  /** config notify: its command could not run, or exited non-zero. */
  notifyFailed: (task: string, status: string, command: string, reason: string): string => `notify ${task} ${status}: ${command} failed: ${reason}`,
  notifyExited: (task: string, status: string, command: string, code: string | number | null): string => `notify ${task} ${status}: ${command} exited ${code}`,
};

// ---- rm (src/ops/remove.ts, src/commands/rm.ts)
export const rm = {
  teardownFailed: (name: string, reason: string, forced: boolean): string => `${name}: ${reason}${forced ? '\n(removed anyway: --force)' : '\n(kept: fix the teardown, or rm --force)'}`,
  notRecorded: (reason: string): string => `could not record the removal: ${reason}`,
  launchedMeanwhile: (name: string): string => `task ${name} was launched from the queue just now: run git superset rm ${name} again (or stop it first)`,
  removed: (name: string, branch: string, deleted: boolean, keptWhy: string | null, snapshots: string | null): string =>
    `removed ${name} (branch ${branch} ${deleted ? 'deleted' : keptWhy ? `kept: ${keptWhy}` : 'kept'})${snapshots ? `; its snapshots are kept at ${snapshots}` : ''}`,
};

// ---- compare and merge (src/ops/compare.ts, src/ops/merge.ts)
export const compare = {
  noVariants: (task: string): string => `no variants of ${task}: start them with git superset start ${task} --agents a,b`,
};
export const merge = {
  unknownBase: (base: string, name: string): string => `unknown base ${base} of ${name}`,
  noBranch: (name: string, branch: string): string => `${name} has no branch ${branch} any more`,
  cannotFastForward: (base: string, name: string, reason: string): string => `could not fast-forward ${base} to the merge of ${name}: ${reason}`,
  readyWithNames: 'merge --ready picks the tasks itself: name none, or drop --ready',
  noNames: 'name the tasks to merge (git superset merge <task>...), or use --ready',
  testUntrusted: (file: string): string => `config test is not trusted, so merge cannot run it: review ${file} and run 'git superset trust', or merge with --no-test`,
  refused: (name: string, why: string): string => `cannot merge ${name}: ${why}`,
  mainRefused: (why: string | null): string => `cannot merge: ${why}`,
  keptAfterMerge: (name: string, reasons: readonly string[]): string => `merged ${name} but kept it: ${reasons.join('; ')}`,
  teardownFailed: (name: string, reason: string): string => `${name}: ${reason}; worktree kept (git superset rm ${name})`,
};

// ---- where worktrees go (src/task/start-checks.ts)
export const worktreesDir = {
  misplaced: (where: string, problem: string): string => `${where} ${problem}: set worktreesDir to a directory outside the repository`,
  isFile: (where: string): string => `${where} is a file, not a directory: set worktreesDir to a directory`,
  unreadable: (where: string, code: string | undefined): string => `${where} cannot be read (${code}): set worktreesDir to a directory you can write`,
  foreign: (where: string, entry: string): string => `${where} already holds ${JSON.stringify(entry)}, which is not a git worktree: set worktreesDir to an empty or new directory`,
};

// ---- agents (src/agents/resolve.ts, src/agents/command-line.ts)
export const agent = {
  unterminatedQuote: (quote: string, line: string): string => `unterminated ${quote} quote in command line: ${line}`,
  emptyConfigCommand: (name: string): string => `config: agents.${name}.command is empty`,
  empty: '--agent is empty',
  noInteractivePrompt: (agent: string): string => `${agent}'s interactive mode takes no prompt: use --headless, or attach and type it`,
  binaryNotFound: (binary: string, hint: string): string => `agent binary not found${binary.includes('/') ? '' : ' on PATH'}: ${binary}${hint}`,
};

// ---- start (src/commands/start.ts)
export const start = {
  badMaxRunning: (value: string): string => `--max-running must be a whole number >= 1, not "${value}"`,
  started: (t: { name: string; branch: string; worktree: string; runner: string; relaunched: boolean }): string =>
    `${t.relaunched ? 'relaunched' : 'started'} ${t.name} on ${t.branch} in ${t.worktree} (${t.runner === 'tmux' ? `attach: git superset attach ${t.name}` : `logs: git superset logs ${t.name}`})`,
  starting: (total: number): string => `starting ${total} tasks`,
  /** The spinner's text: `started 3/20: name` while it runs, `started 20/20 tasks` at the end. */
  progress: (count: number, total: number, name?: string): string => (name ? `started ${count}/${total}: ${name}` : `started ${count}/${total} tasks`),
  setup: (task: string, command: string): string => `${task}: setup: ${command}`,
  // (src/ops/start.ts: refused before anything is made)
  tooDeep: (parent: string, depth: number, maxDepth: number): string => `task ${parent} may not start tasks: that would be depth ${depth}, and config maxDepth is ${maxDepth}`,
  promptFileUnreadable: (file: string, reason: string): string => `cannot read the prompt file ${file}: ${reason}`,
  tasksFileUnreadable: (file: string): string => `cannot read tasks file: ${file}`,
  noTasks: 'name at least one task (git superset start <task>), or use --from FILE',
  branchNeedsOneTask: '--branch adopts one branch: name exactly one task',
  namedTwice: (names: readonly string[]): string => `task named twice: ${names.join(', ')}`,
  noTmux: 'tmux is not installed: install it, or use --headless',
  unknownBase: (base: string): string => `unknown base: ${base}`,
  // (src/task/start-task.ts: one task)
  alreadyRunning: (name: string): string => `task ${name} is already running (git superset attach ${name}, or stop it first)`,
  agentLeftOver: (name: string, pids: readonly number[]): string =>
    `an agent of task ${name} still runs (pid ${pids.join(', ')}): end it first (git superset stop ${name}, or kill ${pids.join(' ')})`,
  foreignWorktreePath: (worktree: string): string => `${worktree} already exists and is not a worktree of this repository`,
  otherBranchCheckedOut: (worktree: string, has: string, wanted: string): string => `worktree ${worktree} has ${has} checked out, not ${wanted}`,
  noSuchBranch: (branch: string): string => `no such branch: ${branch}`,
  branchCheckedOut: (branch: string, where: string): string => `branch ${branch} is already checked out at ${where}`,
};

// ---- the MCP server (src/mcp/server.ts, src/mcp/tools.ts): its lines on stderr (stdout is the protocol's), its tools' result texts
export const mcp = {
  logLine: (text: string): string => `${PREFIX} mcp: ${text}`,
  serving: (cwd: string): string => `serving ${cwd}`,
  // each tool's result text (src/mcp/tools.ts); its schema's describe() texts stay beside the schema
  started: (t: { name: string; branch: string; worktree: string; relaunched: boolean }): string => `${t.relaunched ? 'relaunched' : 'started'} ${t.name} on ${t.branch} in ${t.worktree}`,
  /** Queued for a slot (the CLI's waiting.line says the blocked and --after cases). */
  queued: (name: string, position: number | null | undefined): string => `queued ${name}${position ? ` (position ${position})` : ''}: it starts when a slot frees`,
  /** One task of several that failed: its name and its one error line. */
  taskFailed: (name: string, error: string): string => `${name}: ${error}`,
  noTasks: 'no tasks',
  taskLine: (name: string, status: string, ahead: number | null): string => `${name}: ${status}${ahead ? `, ${ahead} ahead` : ''}`,
  taskStatus: (name: string, status: string, events: readonly { t: string; event: string }[]): string =>
    `${name}: ${status}\n${events.map((e) => `${e.t} ${e.event}`).join('\n')}`.trimEnd(),
  noOutput: board.noOutput,
  waited: (timedOut: boolean, tasks: readonly { name: string; status: string; exitCode: number | null }[]): string =>
    `${timedOut ? 'timed out' : 'settled'}: ${tasks.map((t) => `${t.name} ${t.status}${t.exitCode !== null ? ` (${t.exitCode})` : ''}`).join(', ')}`,
  stopped: (name: string): string => `stopped ${name}`,
  /** Appended to a patch cut at the cap. */
  diffCut: (cap: number, length: number): string => `[cut at ${cap} of ${length} bytes: ask for a smaller part with committed, or read the branch with git]`,
  /** `uncommitted` null: only the branch's commits were asked for. */
  diff: (d: { range: string; committed: string; uncommitted: string | null; untracked: readonly string[] }): string =>
    [
      `committed (${d.range}):`,
      d.committed.trimEnd() || '(nothing)',
      ...(d.uncommitted !== null ? ['uncommitted (worktree):', d.uncommitted.trimEnd() || '(nothing)', ...(d.untracked.length ? [`untracked: ${d.untracked.join(', ')}`] : [])] : []),
    ].join('\n'),
  typed: (name: string): string => `typed into ${name}'s terminal`,
  resumed: (name: string): string => `resumed ${name} for one more turn`,
  conflict: (a: string, b: string, files: readonly string[]): string => `${a} x ${b}: conflict in ${files.join(', ')}`,
  noConflicts: (tasks: number): string => `no conflicts among ${tasks} task${tasks === 1 ? '' : 's'}`,
  merged: (name: string, target: string): string => `merged ${name} into ${target}`,
  mergeConflict: (name: string, files: readonly string[]): string => `${name}: conflict in ${files.join(', ')}`,
  mergeTestFailed: (name: string, exitCode: number | null): string => `${name}: test failed (${exitCode})`,
  mergeSkipped: (name: string, reason: string): string => `${name}: skipped: ${reason}`,
  removed: board.removed,
};
