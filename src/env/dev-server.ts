import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { hasSession, newWindow } from '../runner/tmux.js';
import { isAlive } from '../task/process-alive.js';
import type { TaskStore } from '../task/store.js';

/** Where a task's dev server (config `run`) runs: its pid, and the tmux window when it has one. */
export interface RunRecord {
  pid: number;
  command: string;
  startedAt: string;
  tmuxWindow?: string;
}

// `<task>.run`, not `.json`: the store reads every `*.json` in the directory as a task.
const recordFile = (store: TaskStore, task: string): string => path.join(store.dir, `${task}.run`);
export const runLogFile = (store: TaskStore, task: string): string => path.join(store.logDir, `${task}.run.log`);

export function readRun(store: TaskStore, task: string): RunRecord | null {
  try {
    return JSON.parse(fs.readFileSync(recordFile(store, task), 'utf8')) as RunRecord;
  } catch {
    return null;
  }
}

export const runAlive = (r: RunRecord | null): r is RunRecord => Boolean(r && isAlive(r.pid));

export interface RunRequest {
  store: TaskStore;
  task: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** The task's tmux session, when it is alive: the server gets a window there. */
  tmuxSession: string | null;
}

/** Starts the dev server (the user's own command, with /bin/sh) beside the agent. */
export function startRun(req: RunRequest): RunRecord {
  req.store.ensureDirs();
  const logFile = runLogFile(req.store, req.task);
  fs.appendFileSync(logFile, `── run: ${req.command} · ${new Date().toISOString()}\n`);
  const argv = ['/bin/sh', '-c', req.command];
  let rec: RunRecord;
  if (req.tmuxSession && hasSession(req.tmuxSession)) {
    const pid = newWindow({ session: req.tmuxSession, window: 'run', cwd: req.cwd, env: req.env, argv, logFile });
    rec = { pid, command: req.command, startedAt: new Date().toISOString(), tmuxWindow: 'run' };
  } else {
    const log = fs.openSync(logFile, 'a');
    try {
      const child = spawn(argv[0]!, argv.slice(1), { cwd: req.cwd, env: req.env, detached: true, stdio: ['ignore', log, log] });
      if (child.pid === undefined) throw new Error('could not start the dev server');
      child.unref();
      rec = { pid: child.pid, command: req.command, startedAt: new Date().toISOString() };
    } finally {
      fs.closeSync(log);
    }
  }
  fs.writeFileSync(recordFile(req.store, req.task), JSON.stringify(rec) + '\n');
  return rec;
}

/** Stops the dev server's process group (TERM, then KILL after timeoutMs); true when one ran. */
export async function stopRun(store: TaskStore, task: string, timeoutMs = 3000): Promise<boolean> {
  const rec = readRun(store, task);
  fs.rmSync(recordFile(store, task), { force: true });
  if (!runAlive(rec)) return false;
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-rec.pid, sig);
    } catch {
      try {
        process.kill(rec.pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  kill('SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(rec.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(rec.pid)) kill('SIGKILL');
  return true;
}
