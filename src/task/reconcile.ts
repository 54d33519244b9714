import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { readNotes } from '../git/notes.js';
import { panePid } from '../runner/tmux.js';
import { argvFilePath } from '../runner/launch.js';
import { breakStaleLock, withFileLock } from './lock.js';
import { isAlive } from './process-alive.js';
import { recordStarted } from './events.js';
import { transition } from './lifecycle.js';
import type { TaskState } from './state.js';
import type { TaskStore } from './store.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * What a `start` killed mid-batch (kill -9, a crash, a reboot) leaves behind, set right by the
 * next command that reads tasks:
 * - `<task>.start.lock` of a dead holder: broken, and a record still `starting` is settled;
 * - `<task>.started`: a launched task whose `started` note the batch had not written yet. Its
 *   owner is the start's pid; once that is dead the event is written, exactly once (checked
 *   against the notes, under a lock, so two readers at once or a crash halfway never repeat it).
 * Costs one directory read when there is nothing to do.
 */

const PENDING = '.started';
const START_LOCK = '.start.lock';

type Started = TaskState & { relaunched: boolean };
interface Pending {
  /** The `start` that will write the event itself while it lives; 0: nobody will. */
  owner: number;
  task: Started;
}

const pendingFile = (store: TaskStore, name: string): string => path.join(store.dir, `${name}${PENDING}`);

export function writePendingStarted(store: TaskStore, task: Started, owner = process.pid): void {
  try {
    writeFileAtomic(pendingFile(store, task.name), JSON.stringify({ owner, task } satisfies Pending));
  } catch {
    /* only a safety net: the batch writes the event itself */
  }
}

/** After the batch's notes commit: these events are in git now. */
export function clearPendingStarted(store: TaskStore, names: readonly string[]): void {
  for (const name of names) fs.rmSync(pendingFile(store, name), { force: true });
}

function readPending(file: string): Pending | null {
  try {
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Pending;
    return Number.isInteger(p.owner) && p.task?.name ? p : null;
  } catch {
    return null;
  }
}

/** A record a dead `start` left `starting`: running if its tmux pane is there, else failed. */
async function settleInterrupted(store: TaskStore, name: string): Promise<void> {
  await store
    .update(name, (cur) => {
      // launched, but maybe killed before its pending event was written: the notes check dedups
      if (cur.pid) {
        writePendingStarted(store, { ...cur, relaunched: false }, 0);
        return null;
      }
      if (cur.status !== 'starting') return null;
      const pid = cur.tmuxSession ? panePid(cur.tmuxSession) : null;
      if (pid) {
        const running = transition(cur, { type: 'launched', pid, tmuxSession: cur.tmuxSession });
        writePendingStarted(store, { ...running, relaunched: false }, 0);
        return running;
      }
      fs.rmSync(argvFilePath(store, name), { force: true });
      return { ...transition(cur, { type: 'wrapper-vanished', agentAlive: false }), reason: 'git superset start was killed before the agent was launched' };
    })
    .catch(() => null);
}

export async function reconcileStarts(repo: Repo, store: TaskStore): Promise<void> {
  let files: string[];
  try {
    files = fs.readdirSync(store.dir);
  } catch {
    return;
  }
  for (const f of files.filter((f) => f.endsWith(START_LOCK))) {
    const lock = path.join(store.dir, f);
    if (!breakStaleLock(lock)) continue;
    await settleInterrupted(store, f.slice(0, -START_LOCK.length));
  }
  const orphaned = () =>
    fs
      .readdirSync(store.dir)
      .filter((f) => f.endsWith(PENDING))
      .map((f) => ({ file: path.join(store.dir, f), pending: readPending(path.join(store.dir, f)) }))
      .filter((p) => !p.pending || p.pending.owner <= 0 || !isAlive(p.pending.owner));
  if (orphaned().length === 0) return;
  await withFileLock(path.join(repo.stateDir, 'reconcile.lock'), async () => {
    const found = orphaned(); // again: another reader may have done it meanwhile
    if (found.length === 0) return;
    const recorded = new Set(
      (await readNotes(repo))
        .filter((e) => e.event === 'started')
        .map((e) => `${e.task}\0${e.t}`),
    );
    const missing = found
      .map((p) => p.pending?.task)
      .filter((t): t is Started => Boolean(t) && !recorded.has(`${t!.name}\0${t!.startedAt}`));
    await recordStarted(repo, missing);
    for (const p of found) fs.rmSync(p.file, { force: true });
  });
}
