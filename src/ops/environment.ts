import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { UserError } from '../errors.js';
import type { Workspace } from '../context.js';
import { findExecutable } from '../agents/resolve.js';
import { requireStartedTask } from '../task/require.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { TaskStore } from '../task/store.js';
import { hasSession, newWindow } from '../runner/tmux.js';
import { allReservations } from '../env/ports.js';
import { existingTaskEnv } from '../env/task-env.js';
import { readRun, runAlive, runLogFile, startRun, stopRun, type RunRecord } from '../env/dev-server.js';
import { chooseEditor } from '../env/editor.js';
import * as msg from '../messages.js';

/** A live task's worktree, or a one-line refusal. */
function worktreeOf(task: TaskView): string {
  if (!task.worktree || !fs.existsSync(task.worktree)) throw new UserError(msg.env.noWorktree(task.name));
  return task.worktree;
}

/** The worktree's absolute path (`cd "$(git superset path x)"`). */
export async function taskPath(ws: Workspace, name: string): Promise<string> {
  return worktreeOf(await requireStartedTask(ws, name));
}

export interface RunResult {
  task: string;
  started: boolean;
  /** Already running, and no --restart. */
  alreadyRunning: boolean;
  record: RunRecord;
  log: string;
}

/** Starts the task's dev server (config `run`) beside its agent; `restart` stops a running one first. */
export async function runDevServer(ws: Workspace, name: string, opts: { restart?: boolean } = {}): Promise<RunResult> {
  const command = ws.config.run;
  if (!command) throw new UserError(msg.env.noRunCommand);
  const task = await requireStartedTask(ws, name);
  const worktree = worktreeOf(task);
  const store = new TaskStore(ws.repo);
  const log = runLogFile(store, name);
  const current = readRun(store, name);
  if (runAlive(current) && !opts.restart) return { task: name, started: false, alreadyRunning: true, record: current, log };
  await stopRun(store, name);
  const record = startRun({ store, task: name, command, cwd: worktree, env: existingTaskEnv(ws, task, worktree), tmuxSession: task.tmuxSession });
  return { task: name, started: true, alreadyRunning: false, record, log };
}

export interface PortRow {
  task: string;
  name: string;
  port: number;
  listening: boolean;
  url: string;
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setTimeout(300);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });

/** Every task's named ports, whether something listens on each, and its proxy URL. */
export async function listPorts(ws: Workspace): Promise<PortRow[]> {
  const known = new Set((await loadTasks(ws.repo, ws.config, { ahead: false })).map((t) => t.name));
  const rows: PortRow[] = [];
  for (const [task, ports] of Object.entries(allReservations(ws.repo))) {
    if (!known.has(task)) continue;
    Object.entries(ports).forEach(([name, port], i) => {
      const host = i === 0 ? `${task}.localhost` : `${name}-${task}.localhost`;
      rows.push({ task, name, port, listening: false, url: `http://${host}:${ws.config.proxy.port}/` });
    });
  }
  await Promise.all(rows.map(async (r) => (r.listening = await listening(r.port))));
  return rows;
}

export interface OpenResult {
  task: string;
  argv: string[];
  /** `window`: a GUI editor; `terminal`: took this terminal; `tmux`: a window in the task's session. */
  where: 'window' | 'terminal' | 'tmux';
}

/** Opens the task's worktree in an editor (see chooseEditor for which). */
export async function openInEditor(ws: Workspace, name: string, opts: { editor?: string; isTTY: boolean; visual?: string; editorVar?: string }): Promise<OpenResult & { wait?: Promise<number> }> {
  const task = await requireStartedTask(ws, name);
  const worktree = worktreeOf(task);
  const choice = chooseEditor({ flag: opts.editor, config: ws.config.editor, visual: opts.visual, editor: opts.editorVar }, (b) => Boolean(findExecutable(b)));
  if (!choice) throw new UserError(msg.env.noEditor);
  if (!choice.argv.length || !findExecutable(choice.argv[0]!)) throw new UserError(msg.env.editorNotFound(choice.argv[0] ?? '(empty)', choice.from));
  const argv = [...choice.argv, worktree];
  if (choice.terminal && !opts.isTTY) {
    if (!task.tmuxSession || !hasSession(task.tmuxSession)) {
      throw new UserError(msg.env.editorNeedsTerminal(choice.argv[0]!));
    }
    newWindow({ session: task.tmuxSession, window: 'edit', cwd: worktree, env: {}, argv, logFile: '/dev/null' });
    return { task: name, argv, where: 'tmux' };
  }
  if (choice.terminal) {
    const wait = new Promise<number>((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { cwd: worktree, stdio: 'inherit' });
      child.on('error', () => resolve(127));
      child.on('close', (c) => resolve(c ?? 1));
    });
    return { task: name, argv, where: 'terminal', wait };
  }
  const child = spawn(argv[0]!, argv.slice(1), { cwd: worktree, detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
  return { task: name, argv, where: 'window' };
}
