import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { shWord } from '../agents/command-line.js';
import { TmuxError, UserError } from '../errors.js';
import * as msg from '../messages.js';

/** Every tmux call goes through here so `SUPERSET_TMUX_SOCKET` (a private server, as tests use) is always honoured. */
export function tmuxArgs(args: readonly string[]): string[] {
  const socket = process.env.SUPERSET_TMUX_SOCKET;
  return socket ? ['-L', socket, ...args] : [...args];
}

export interface TmuxResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tmux(args: readonly string[]): TmuxResult {
  const res = spawnSync('tmux', tmuxArgs(args), { encoding: 'utf8' });
  if (res.error) return { code: 127, stdout: '', stderr: String(res.error.message) };
  return { code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

/**
 * tmux turns '.' and ':' in session names into '_', so `a.b` and `a_b` would share one session
 * (and one task's rollback would kill the other's agent). The name is escaped injectively instead:
 * '_' -> '__', '.' -> '_d', ':' -> '_c'; every task gets a session of its own. Pure.
 */
export function sessionName(repoId: string, task: string): string {
  return `superset-${repoId}-${task.replace(/[_.:]/g, (c) => (c === '_' ? '__' : c === '.' ? '_d' : '_c'))}`;
}

/** `=name` makes tmux match the session name exactly instead of by prefix. */
export const exact = (session: string): string => `=${session}`;
/** The same for commands that take a pane: the session's current pane. */
const exactPane = (session: string): string => `=${session}:`;

export function hasSession(session: string): boolean {
  return tmux(['has-session', '-t', exact(session)]).code === 0;
}

export function killSession(session: string): void {
  tmux(['kill-session', '-t', exact(session)]);
}

/** Kills the session only when every pane in it is dead (a failed agent's kept pane); true if it did. */
export function killDeadSession(session: string): boolean {
  const res = tmux(['list-panes', '-s', '-t', exact(session), '-F', '#{pane_dead}']);
  const panes = res.stdout.split('\n').filter(Boolean);
  if (res.code !== 0 || panes.length === 0 || panes.some((p) => p.trim() !== '1')) return false;
  killSession(session);
  return true;
}


export interface NewSession {
  session: string;
  cwd: string;
  env: Record<string, string>;
  argv: string[];
  logFile: string;
  /** Shown at the bottom of a pane whose agent failed; tmux formats (#{pane_dead_status}) allowed. */
  deadPaneText?: string;
}

/**
 * Starts a detached session running argv directly (tmux execs a multi-word command without a
 * shell) and pipes the pane to a log file in the same command sequence, so no output is missed.
 * Returns the pane's pid.
 */
export function newSession(opts: NewSession): number {
  const envArgs = Object.entries(opts.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const res = tmux([
    'new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', opts.session, '-c', opts.cwd, '-x', '200', '-y', '50', ...envArgs, '--', ...opts.argv,
    ';', 'pipe-pane', '-t', exactPane(opts.session), '-o', `cat >> ${shWord(opts.logFile)}`,
    // An agent that fails at once would take its error with it: a failed pane stays (dead) until
    // stop or rm kills the session. Set in the same sequence, before tmux can see the agent exit.
    ';', 'set-option', '-w', '-t', exactPane(opts.session), 'remain-on-exit', 'failed',
    ...(opts.deadPaneText ? [';', 'set-option', '-w', '-t', exactPane(opts.session), 'remain-on-exit-format', opts.deadPaneText] : []),
  ]);
  // -P prints the pane pid only once new-session made the session: only then is it ours to kill
  // (a failing pipe-pane after it). A session that already existed belongs to someone else.
  const pid = Number.parseInt(res.stdout.trim().split('\n')[0] ?? '', 10);
  if (res.code !== 0) {
    if (Number.isFinite(pid)) killSession(opts.session);
    else if (/duplicate session/.test(res.stderr)) {
      throw new UserError(msg.tmux.foreignSession(opts.session, tmuxArgs(['kill-session', '-t', exact(opts.session)])));
    }
    throw new TmuxError('new-session', res.code, res.stderr);
  }
  // tmux 3.3 exits 0 when it cannot make its server's socket, and says why on stderr only
  if (!Number.isFinite(pid)) throw new TmuxError('new-session', res.code, res.stderr.trim() || `did not report the pane pid: ${res.stdout.trim()}`);
  return pid;
}

/** The socket our tmux server listens on, as tmux itself spells it in $TMUX (`<tmpdir>/tmux-<uid>/<name>`). */
function serverSocketPath(): string {
  const dir = path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`);
  let real = dir;
  try {
    real = fs.realpathSync(dir); // tmux resolves it (/tmp is /private/tmp on macOS)
  } catch {
    /* no server has made it yet */
  }
  return path.join(real, process.env.SUPERSET_TMUX_SOCKET || 'default');
}

/**
 * Attaches the terminal, or switches the client when already inside a tmux client of the same
 * server. Inside another server's pane it nests a client, which tmux only allows with $TMUX unset.
 * Resolves to tmux's exit code.
 */
export function attachSession(session: string): Promise<number> {
  const tmuxVar = process.env.TMUX;
  const inside = Boolean(tmuxVar) && tmuxVar!.split(',')[0] === serverSocketPath();
  const args = tmuxArgs(inside ? ['switch-client', '-t', exact(session)] : ['attach-session', '-t', exact(session)]);
  const env = { ...process.env };
  if (!inside) delete env.TMUX;
  return new Promise((resolve) => {
    const child = spawn('tmux', args, { stdio: 'inherit', env });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export function capturePane(session: string): string {
  return tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', exactPane(session)]).stdout.replace(/\n+$/, '\n');
}

/**
 * Pure: a word tmux reads literally as the last argument of a command. On its command line tmux
 * ends a command at a word ending in `;` and turns a final `\;` into `;`: so a final `;` is sent
 * as `\;`, and comes out as typed.
 */
export function literalWord(text: string): string {
  return text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text;
}

/**
 * Types text into a session's pane as literal keys (`send-keys -l`: no key names are read, no
 * shell sees it), then Enter. One tmux call, so nothing can come between the text and its Enter.
 */
export function sendText(session: string, text: string): TmuxResult {
  return tmux(['send-keys', '-t', exactPane(session), '-l', '--', literalWord(text), ';', 'send-keys', '-t', exactPane(session), 'Enter']);
}

/**
 * A second window in a task's session (the dev server beside the agent), running argv directly,
 * its output piped to logFile. Returns the pane's pid.
 */
export function newWindow(opts: NewSession & { window: string }): number {
  const envArgs = Object.entries(opts.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const target = `${exact(opts.session)}:${opts.window}`;
  const res = tmux([
    'new-window', '-d', '-P', '-F', '#{pane_pid}', '-t', `${exact(opts.session)}:`, '-n', opts.window, '-c', opts.cwd, ...envArgs, '--', ...opts.argv,
    ';', 'pipe-pane', '-t', target, '-o', `cat >> ${shWord(opts.logFile)}`,
  ]);
  if (res.code !== 0) throw new TmuxError('new-window', res.code, res.stderr);
  const pid = Number.parseInt(res.stdout.trim().split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid)) throw new TmuxError('new-window', res.code, res.stderr.trim() || `did not report the pane pid: ${res.stdout.trim()}`);
  return pid;
}

/** The pid of a session's pane, or null when there is no such session. */
export function panePid(session: string): number | null {
  const res = tmux(['display-message', '-p', '-t', exactPane(session), '#{pane_pid}']);
  const pid = Number.parseInt(res.stdout.trim(), 10);
  return res.code === 0 && Number.isFinite(pid) ? pid : null;
}
