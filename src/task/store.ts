import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { withFileLock } from './lock.js';
import { isAlive } from './process-alive.js';
import { groupAlive } from './liveness.js';
import { isLive, transition, type LifecycleEvent } from './lifecycle.js';
import type { ExitRecord, TaskState } from './state.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export { isAlive };

/**
 * The runtime cache of tasks under `.git/superset/tasks/`: one JSON file per task, written
 * atomically. It only remembers what git cannot (pids, tmux sessions, exit codes); deleting
 * it loses no work, `ls` rebuilds what it can from branches and worktrees.
 */
export class TaskStore {
  readonly dir: string;
  readonly logDir: string;

  constructor(readonly repo: Repo) {
    this.dir = path.join(repo.stateDir, 'tasks');
    this.logDir = path.join(repo.stateDir, 'logs');
  }

  ensureDirs(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.mkdirSync(this.logDir, { recursive: true });
  }

  file(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }

  exitFile(name: string): string {
    return path.join(this.dir, `${name}.exit`);
  }

  logFile(name: string): string {
    return path.join(this.logDir, `${name}.log`);
  }

  read(name: string): TaskState | null {
    return readJson<TaskState>(this.file(name));
  }

  readExit(name: string): ExitRecord | null {
    // Asked for every live task on every watcher tick and `ls`: usually absent, and a failed read
    // costs an exception with a stack trace where a stat costs nothing.
    const file = this.exitFile(name);
    return fs.existsSync(file) ? readJson<ExitRecord>(file) : null;
  }

  /** Every task the cache knows, in name order. One directory read, no git. */
  all(): TaskState[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .sort()
      .map((f) => readJson<TaskState>(path.join(this.dir, f)))
      .filter((s): s is TaskState => s !== null);
  }

  write(state: TaskState): void {
    this.ensureDirs();
    writeFileAtomic(this.file(state.name), JSON.stringify(state, null, 2) + '\n');
  }

  /** Read-modify-write under the task's lock, so the exit handler, `stop` and the watcher never overwrite each other. */
  async update(name: string, change: (s: TaskState) => TaskState | null): Promise<TaskState | null> {
    this.ensureDirs();
    return withFileLock(`${this.file(name)}.lock`, () => {
      const current = this.read(name);
      if (!current) return null;
      const next = change(current);
      if (next) this.write(next);
      return next;
    });
  }

  remove(name: string): void {
    // with the exit file, the blocks agent-run.sh reserves for it at launch (`.pending`) and its
    // fallback (`.tmp`): an agent killed before it wrote its exit leaves them behind
    const exit = this.exitFile(name);
    for (const f of [this.file(name), exit, `${exit}.pending`, `${exit}.tmp`, this.logFile(name)]) fs.rmSync(f, { force: true });
  }

  /**
   * What the processes say happened to a live task that nobody recorded yet, as a lifecycle
   * event, or null: an exit code the wrapper wrote (`exited` once the wrapper is gone, else
   * `agent-exited`: it is still recording), or a wrapper that vanished (killed with -9, or the
   * machine restarted) while its process group may live on. kill(0) and /proc: no process spawned.
   */
  observe(state: TaskState): LifecycleEvent | null {
    if (!isLive(state.status) || !state.pid) return null;
    const exit = this.readExit(state.name);
    const wrapperAlive = isAlive(state.pid);
    if (exit) return wrapperAlive ? { type: 'agent-exited', exit } : { type: 'exited', exit };
    if (wrapperAlive) return null;
    return { type: 'wrapper-vanished', agentAlive: groupAlive(state.pid) };
  }

  /** The task as it is now (see observe). */
  settle(state: TaskState): TaskState {
    const event = this.observe(state);
    return event ? transition(state, event) : state;
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}
