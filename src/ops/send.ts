import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { UserError } from '../errors.js';
import { listWorktrees } from '../git/worktrees.js';
import { hasResumeForm } from '../agents/resolve.js';
import { hasSession, sendText } from '../runner/tmux.js';
import { requireStartedTask } from '../task/require.js';
import { LIVE_STATUSES } from '../task/state.js';
import { TaskStore } from '../task/store.js';
import { startTask } from '../task/start-task.js';
import { bestEffort, recordStarted } from '../task/events.js';
import * as msg from '../messages.js';

export interface SendOptions {
  task: string;
  message: string;
  /** Where a relative agent path is resolved (the caller's directory). */
  cwd: string;
  warn?: (text: string) => void;
}

export type SendResult =
  | { task: string; how: 'typed'; session: string }
  | { task: string; how: 'resumed'; pid: number | null; runner: 'headless' };

/**
 * Redirects an agent: a running interactive one gets the message typed into its tmux pane; an
 * ended one whose agent can resume its conversation runs one more headless turn with the message,
 * in the same worktree, under the same exit recording (commit on exit, notes) as any start.
 */
export async function sendMessage(ws: Workspace, opts: SendOptions): Promise<SendResult> {
  if (opts.message.trim() === '') throw new UserError(msg.send.empty);
  const task = await requireStartedTask(ws, opts.task);
  if (LIVE_STATUSES.includes(task.status)) {
    if (task.runner !== 'tmux' || !task.tmuxSession) {
      throw new UserError(msg.send.headless(task.name));
    }
    if (!hasSession(task.tmuxSession)) throw new UserError(msg.send.noSession(task.name));
    const res = sendText(task.tmuxSession, opts.message);
    if (res.code !== 0) throw new UserError(msg.send.cannotType(task.name, res.stderr.trim() || `tmux exited ${res.code}`));
    return { task: task.name, how: 'typed', session: task.tmuxSession };
  }
  const store = new TaskStore(ws.repo);
  const state = store.read(task.name);
  if (!state) throw new UserError(msg.send.noRecord(task.name));
  if (!task.worktree || !fs.existsSync(task.worktree)) throw new UserError(msg.send.noWorktree(task.name));
  if (!hasResumeForm(state.agent, ws.config, 'headless')) {
    throw new UserError(msg.send.cannotResume(task.name, state.agent));
  }
  const started = await startTask(
    { repo: ws.repo, config: ws.config, store, base: { ref: state.base, commit: state.baseCommit }, worktrees: await listWorktrees(ws.repo.root), cwd: opts.cwd },
    { name: task.name, agent: state.agent, prompt: opts.message, runner: 'headless', yolo: ws.config.yolo },
  );
  // The message is one turn, not the task's prompt: keep the prompt (a squash commit's subject).
  await store.update(task.name, (s) => {
    const { prompt: _turn, ...rest } = s;
    return state.prompt !== undefined ? { ...rest, prompt: state.prompt } : rest;
  });
  await bestEffort('the resumed turn', () => recordStarted(ws.repo, [started]), opts.warn);
  return { task: task.name, how: 'resumed', pid: started.pid ?? null, runner: 'headless' };
}
