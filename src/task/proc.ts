import fs from 'node:fs';
import path from 'node:path';

/**
 * The one reader of /proc (Linux): every question about other processes — which run in a
 * directory, which carry an environment variable, which belong to a process group, when one
 * started — is answered from here, with no process spawned. A scan lists the pids once and reads
 * each process's fields lazily, at most once per scan, so a caller pays only for the fields its
 * filter reaches (cheapest first). A process that exits mid-scan, is a zombie or belongs to
 * another user just has no value for the field (null).
 */

export interface ProcStat {
  /** R, S, D, Z (zombie), T, ... */
  state: string;
  ppid: number;
  pgrp: number;
  /** Field 22: start time in clock ticks since boot; with the pid it names one process for good. */
  start: string;
}

/** Pure: the fields of a /proc/<pid>/stat line ("pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses). */
export function parseStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  const [state, ppid, pgrp, start] = [f[0], Number(f[1]), Number(f[2]), f[19]];
  return state && Number.isInteger(ppid) && Number.isInteger(pgrp) ? { state, ppid, pgrp, start: start ?? '' } : null;
}

function read<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null; // gone, a zombie, or not ours to read
  }
}

export const procStat = (pid: number): ProcStat | null => parseStat(read(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? '');

/**
 * A process's argv: null when it is gone, undefined when that cannot be told (no /proc here, or
 * not ours to read), so a caller can give such a process the benefit of the doubt.
 */
export function procCmdline(pid: number): string[] | null | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync('/proc/self') ? undefined : null;
  }
}

/** One process of a scan; each field is read on first use and kept. */
export class Proc {
  #stat?: ProcStat | null;
  #cwd?: string | null;
  #environ?: Buffer | null;
  #comm?: string | null;
  constructor(readonly pid: number) {}
  stat(): ProcStat | null {
    if (this.#stat === undefined) this.#stat = procStat(this.pid);
    return this.#stat;
  }
  /** The cwd link as the kernel shows it (a deleted directory reads "<path> (deleted)"). */
  cwd(): string | null {
    if (this.#cwd === undefined) this.#cwd = read(() => fs.readlinkSync(`/proc/${this.pid}/cwd`));
    return this.#cwd;
  }
  /** The environment as NUL-separated `NAME=value` entries. */
  environ(): Buffer | null {
    if (this.#environ === undefined) this.#environ = read(() => fs.readFileSync(`/proc/${this.pid}/environ`));
    return this.#environ;
  }
  /** The command name (`/proc/<pid>/comm`, at most 15 characters). */
  comm(): string | null {
    if (this.#comm === undefined) this.#comm = read(() => fs.readFileSync(`/proc/${this.pid}/comm`, 'utf8').trim());
    return this.#comm;
  }
  zombie(): boolean {
    return this.stat()?.state === 'Z';
  }
  /** Whether the environment holds exactly `NAME=value` (one of `entries`). */
  hasEnv(...entries: string[]): boolean {
    const env = this.environ();
    if (!env) return false;
    const padded = Buffer.concat([Buffer.from([0]), env, Buffer.from([0])]);
    return entries.some((e) => padded.includes(Buffer.from(`\0${e}\0`)));
  }
  /** A tmux server keeps the cwd and environment of whatever first started it, and serves every task: never an agent. */
  tmuxServer(): boolean {
    return this.comm()?.startsWith('tmux') ?? false;
  }
}

/** Every process but this one (`self`: this one too), from one listing of /proc; null where there is no /proc. */
export function scanProcesses(opts: { self?: boolean } = {}): Proc[] | null {
  const names = read(() => fs.readdirSync('/proc'));
  if (!names) return null;
  return names.filter((n) => /^\d+$/.test(n) && (opts.self || Number(n) !== process.pid)).map((n) => new Proc(Number(n)));
}

/** The pid and its ancestors up to (not including) init, nearest first; `of` reuses a scan's reads. */
export function ancestry(pid: number, of: (pid: number) => ProcStat | null = procStat): number[] {
  const chain: number[] = [];
  for (let p: number | null = pid; p && p > 1 && chain.length < 64; p = of(p)?.ppid ?? null) chain.push(p);
  return chain;
}

/** The directory with links resolved, as /proc shows cwds; the path itself when it is gone (an agent may still run in it). */
export function realDir(dir: string): string {
  return read(() => fs.realpathSync(dir)) ?? path.resolve(dir);
}

/** Pure: whether a /proc cwd link (which may end in " (deleted)") lies inside dir. */
export function cwdInside(link: string, dir: string): boolean {
  const cwd = link.endsWith(' (deleted)') ? link.slice(0, -' (deleted)'.length) : link;
  return cwd === dir || cwd.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}
