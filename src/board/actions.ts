import { isGitError, isUserError } from '../errors.js';
import type { Workspace } from '../context.js';
import { stopTasks } from '../ops/stop.js';
import { startTasks } from '../ops/start.js';
import { removeTasks } from '../ops/remove.js';
import { sendMessage } from '../ops/send.js';
import { mergeTasks } from '../ops/merge.js';

/**
 * What the board's keys do, as typed calls. The outcome is one line for the board's message
 * bar, or for remove a refusal that says what would be lost.
 *
 * Each is the src/ops/ operation its command uses, so the board does exactly what the command
 * does (rm's refusal to lose work included), never a second copy that could drift.
 */
export type Outcome = { ok: boolean; text: string } | { refused: true; lost: string };

function failure(e: unknown): { ok: false; text: string } {
  if (isUserError(e)) return { ok: false, text: e.message };
  if (isGitError(e)) return { ok: false, text: e.message.split('\n')[0] ?? 'git failed' };
  return { ok: false, text: `failed: ${(e as Error).message}` };
}

export async function stopTask(ws: Workspace, name: string): Promise<Outcome> {
  try {
    const [r] = await stopTasks(ws, { names: [name] });
    if (!r) return { ok: false, text: `no such task: ${name}` };
    return { ok: r.stopped, text: r.stopped ? `stopped ${name}${r.how === 'killed' ? ' (killed after timeout)' : ''}; worktree kept` : `${name} is not running (${r.status})` };
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
    return { ok: Boolean(r), text: r ? `removed ${name}` : `${name} was not removed` };
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
    return { ok: true, text: t ? `${t.relaunched ? 'relaunched' : 'started'} ${name} (${t.runner})` : `started ${name}` };
  } catch (e) {
    return failure(e);
  }
}

/** Typed into a live tmux agent's pane (Enter appended), or one resumed turn for an ended one: what `send` does. */
export async function sendTo(ws: Workspace, cwd: string, name: string, message: string): Promise<Outcome> {
  try {
    const r = await sendMessage(ws, { task: name, message, cwd });
    return { ok: true, text: r.how === 'typed' ? `sent to ${name}` : `${name} resumed with the message (headless)` };
  } catch (e) {
    return failure(e);
  }
}

export async function mergeTask(ws: Workspace, name: string): Promise<Outcome> {
  try {
    const { outcomes } = await mergeTasks(ws, { tasks: [name] });
    const o = outcomes[0];
    if (!o) return { ok: false, text: `${name} was not merged` };
    switch (o.result) {
      case 'merged':
        return { ok: true, text: `merged ${name} into ${o.target} (${o.strategy}${o.fastForward ? ', fast-forward' : ''})${o.cleanedUp ? '; removed' : ''}` };
      case 'conflict':
        return { ok: false, text: `${name} conflicts with ${o.target} in ${o.files.join(', ')}: nothing merged` };
      case 'test-failed':
        return { ok: false, text: `the test failed on ${name} merged into ${o.target}: nothing merged` };
      case 'skipped':
        return { ok: false, text: `${name} not merged: ${o.reason}` };
    }
  } catch (e) {
    return failure(e);
  }
}
