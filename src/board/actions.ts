import { isGitError, isUserError } from '../errors.js';
import type { Workspace } from '../context.js';
import { stopTasks } from '../ops/stop.js';
import { startTasks } from '../ops/start.js';
import { removeTasks } from '../ops/remove.js';
import { sendMessage } from '../ops/send.js';
import { mergeTasks } from '../ops/merge.js';
import { openInEditor } from '../ops/environment.js';
import { chooseEditor } from '../env/editor.js';
import { findExecutable } from '../agents/resolve.js';
import { taskOverlaps } from '../task/overlaps.js';
import type { TaskView } from '../task/catalog.js';
import type { Overlap } from './model.js';
import * as msg from '../messages.js';

/**
 * What the board's keys do, as typed calls. The outcome is one line for the board's message
 * bar, or for remove a refusal that says what would be lost.
 *
 * Each is the src/ops/ operation its command uses, called directly with typed options, and its
 * typed result worded here: the board does exactly what the command does (rm's refusal to lose
 * work included), never a second copy that could drift.
 */
export type Outcome = { ok: boolean; text: string } | { refused: true; lost: string };

function failure(e: unknown): { ok: false; text: string } {
  if (isUserError(e)) return { ok: false, text: e.message };
  if (isGitError(e)) return { ok: false, text: e.message.split('\n')[0] ?? msg.board.gitFailed };
  return { ok: false, text: msg.board.failed((e as Error).message) };
}

export async function stopTask(ws: Workspace, name: string): Promise<Outcome> {
  try {
    const [r] = await stopTasks(ws, { names: [name] });
    if (!r) return { ok: false, text: msg.board.noSuchTask(name) };
    return { ok: r.stopped, text: r.stopped ? msg.board.stopped(name, r.how === 'killed') : msg.stop.notRunning(name, r.status) };
  } catch (e) {
    return failure(e);
  }
}

/** Removal as `rm` judges it: without force a task holding work is refused, and the refusal says what. */
export async function removeTask(ws: Workspace, name: string, force: boolean): Promise<Outcome> {
  try {
    const { removed, refused } = await removeTasks(ws, { names: [name], force });
    const no = refused[0];
    if (no && !force) return { refused: true, lost: no.reasons.join('; ') };
    const r = removed[0];
    return { ok: Boolean(r), text: r ? msg.board.removed(name) : msg.board.notRemoved(name) };
  } catch (e) {
    return failure(e);
  }
}

export async function startTask(ws: Workspace, cwd: string, name: string, prompt: string, agent: string): Promise<Outcome> {
  try {
    const res = await startTasks(ws, { names: [name], cwd, ...(prompt ? { prompt } : {}), ...(agent ? { agent } : {}) });
    const failed = res.failed[0];
    if (failed) return failure(failed.error);
    const t = res.started[0];
    return { ok: true, text: msg.board.started(name, t) };
  } catch (e) {
    return failure(e);
  }
}

/** Typed into a live tmux agent's pane (Enter appended), or one resumed turn for an ended one: what `send` does. */
export async function sendTo(ws: Workspace, cwd: string, name: string, message: string): Promise<Outcome> {
  try {
    const r = await sendMessage(ws, { task: name, message, cwd });
    return { ok: true, text: r.how === 'typed' ? msg.board.sent(name) : msg.board.resumed(name) };
  } catch (e) {
    return failure(e);
  }
}

export async function mergeTask(ws: Workspace, name: string): Promise<Outcome> {
  try {
    const { outcomes } = await mergeTasks(ws, { tasks: [name] });
    const o = outcomes[0];
    if (!o) return { ok: false, text: msg.board.notMerged(name) };
    switch (o.result) {
      case 'merged':
        return { ok: true, text: msg.board.merged(name, o.target, o.strategy, o.fastForward, o.cleanedUp) };
      case 'conflict':
        return { ok: false, text: msg.board.mergeConflict(name, o.target, o.files) };
      case 'test-failed':
        return { ok: false, text: msg.board.mergeTestFailed(name, o.target) };
      case 'skipped':
        return { ok: false, text: msg.board.mergeSkipped(name, o.reason) };
    }
  } catch (e) {
    return failure(e);
  }
}

export interface EditorEnv {
  visual?: string;
  editor?: string;
}

/** Whether `open` would run a terminal editor (vim, nano...), which needs the board off the screen first. */
export function editorTakesTerminal(ws: Workspace, env: EditorEnv): boolean {
  return chooseEditor({ config: ws.config.editor, visual: env.visual, editor: env.editor }, (b) => Boolean(findExecutable(b)))?.terminal ?? false;
}

/**
 * `open`: the task's worktree in the editor `open` would choose. A GUI editor opens its window
 * and the board stays; a terminal editor has the terminal (the caller has stepped aside) until it
 * exits. The outcome says which, or why nothing opened (no editor, a missing one) in one line.
 */
export async function openEditor(ws: Workspace, name: string, env: EditorEnv): Promise<Outcome> {
  try {
    const res = await openInEditor(ws, name, { isTTY: true, visual: env.visual, editorVar: env.editor });
    if (res.wait) {
      const code = await res.wait;
      return { ok: code === 0, text: msg.board.backFromEditor(res.argv[0]!, name, code) };
    }
    return { ok: true, text: msg.env.opened(name, res.argv[0]!, false) };
  } catch (e) {
    return failure(e);
  }
}

/** ls's early warning for the board's rows; a git failure leaves none rather than an error. */
export async function overlapsOf(ws: Workspace, tasks: readonly TaskView[]): Promise<Record<string, Overlap[]>> {
  const byTask = await taskOverlaps(ws, tasks).catch(() => new Map<string, Overlap[]>());
  return Object.fromEntries(byTask);
}
