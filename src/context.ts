import type { Repo } from './git/repo.js';
import { line } from './messages.js';
import type { LoadedConfig, LoadOptions } from './config/load.js';

/** What a command needs from the outside world; tests can hand in their own streams. */
export interface Ctx {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  /** Width tables must fit (ls); 80 when unknown. Optional so a test's Ctx may leave it out. */
  columns?: number;
  /** Cancels the command from outside (a test, the board), as Ctrl-C does (see interruptible). */
  signal?: AbortSignal;
}

/**
 * Runs a command's op with an AbortSignal that Ctrl-C (and ctx.signal) fires: the op stops between
 * steps and throws Interrupted (exit 130); the handler is removed afterwards, so Ctrl-C outside
 * interruptible work ends the process as usual. Ops never install signal handlers; commands do, here.
 */
export async function interruptible<T>(ctx: Ctx, fn: (signal: AbortSignal) => Promise<T>, signals: readonly NodeJS.Signals[] = ['SIGINT']): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  for (const s of signals) process.on(s, onSignal);
  try {
    return await fn(ctx.signal ? AbortSignal.any([ctx.signal, abort.signal]) : abort.signal);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

/** `COLUMNS` wins (as for ls(1)), then the terminal's width, else 80: a pipe gets what a terminal would. */
export function terminalColumns(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  if (fromEnv > 0) return fromEnv;
  if (stdout.isTTY && stdout.columns && stdout.columns > 0) return stdout.columns;
  return 80;
}

export function processCtx(): Ctx {
  return {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY) && process.env.CI !== 'true',
    columns: terminalColumns(),
  };
}

export interface Workspace {
  repo: Repo;
  config: LoadedConfig;
}

/** The repository around ctx.cwd and its config: what nearly every command starts with. */
export async function openWorkspace(ctx: Ctx, opts: LoadOptions = {}): Promise<Workspace> {
  // Loaded here, not at the top: cli.ts imports this module, and --version / --help need neither
  // (repo.ts pulls in node:crypto, ~6 ms).
  const [{ findRepo }, { loadConfig }] = await Promise.all([import('./git/repo.js'), import('./config/load.js')]);
  const repo = await findRepo(ctx.cwd);
  const config = await loadConfig(repo.root, opts);
  // Once per command: what an untrusted config file did not get to run.
  if (config.warning) ctx.err(line(config.warning));
  return { repo, config };
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
