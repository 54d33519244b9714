import { spawn } from 'node:child_process';
import { GitError } from '../errors.js';
import * as msg from '../messages.js';

export interface GitOptions {
  cwd: string;
  /** Extra environment on top of ours (GIT_INDEX_FILE for snapshots, say). */
  env?: Record<string, string | undefined>;
  input?: string;
  /** Exit codes that are answers, not failures (e.g. 1 from `git diff --quiet`). */
  okCodes?: number[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
  /** stdout as git wrote it: byte counts (cat-file --batch sizes) need the bytes, not the string. */
  bytes: Buffer;
}

// git sets these inside hooks; they would point every call at the hook's repository.
export const HOOK_GIT_VARS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR'];

/** A copy of env without the variables git sets for a hook, for any process that works on another worktree. */
export function withoutHookGitVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of HOOK_GIT_VARS) delete clean[name];
  return clean;
}

function gitEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = withoutHookGitVars(process.env);
  env.GIT_TERMINAL_PROMPT = '0';
  env.LC_ALL = env.LC_ALL ?? 'C';
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Lock collisions between concurrent `git superset` processes: worth a retry, not an error.
 * Also a `worktree add` racing another: git lists worktrees and dies on one whose admin dir is
 * still being written ("failed to read .git/worktrees/<id>/commondir: Success"), before making anything;
 * and any worktree listing can read another `worktree add`'s "initializing" lock file in the instant
 * before it is deleted ("failed to read '.git/worktrees/<id>/locked': No such file or directory").
 */
export function isLockContention(stderr: string): boolean {
  // "cannot lock ref 'refs/heads/a/b': 'refs/heads/a' exists": a name clash no retry can resolve
  if (/exists; cannot create/.test(stderr)) return false;
  return /\.lock'?: File exists|could not lock config file|Unable to create '.*\.lock'|cannot lock ref|unable to write new index file|is already locked|failed to read .*worktrees\/.*\/(commondir|gitdir|locked)/i.test(
    stderr,
  );
}

function runOnce(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: opts.cwd, env: gitEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const bytes = Buffer.concat(out);
      resolve({ stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1, bytes });
    });
    child.stdin.on('error', () => {}); // git may exit before reading all of its input
    child.stdin.end(opts.input ?? '');
  });
}

const debug = process.env.SUPERSET_DEBUG === '1';

/**
 * The one way this program runs git: an argv array, an explicit cwd, git's stderr in the error.
 * Lock contention from concurrent writers is retried with a jittered back-off.
 */
export async function gitResult(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  for (let attempt = 0; ; attempt++) {
    const started = debug ? Date.now() : 0;
    const res = await runOnce(args, opts);
    if (debug) process.stderr.write(msg.line(`git ${args.join(' ')} (${opts.cwd}) -> ${res.code} in ${Date.now() - started}ms`));
    const ok = res.code === 0 || (opts.okCodes ?? []).includes(res.code);
    if (ok || attempt >= 30 || !isLockContention(res.stderr)) return res;
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * Math.min(attempt + 1, 5)));
  }
}

async function gitChecked(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const res = await gitResult(args, opts);
  if (res.code !== 0 && !(opts.okCodes ?? []).includes(res.code)) throw new GitError(args, res.code, res.stderr);
  return res;
}

export async function git(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await gitChecked(args, opts)).stdout;
}

/** stdout as bytes, for output whose framing counts bytes (`cat-file --batch`). */
export async function gitBytes(args: readonly string[], opts: GitOptions): Promise<Buffer> {
  return (await gitChecked(args, opts)).bytes;
}

/** stdout with the trailing newline git always prints removed. */
export async function gitLine(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await git(args, opts)).replace(/\n$/, '');
}
