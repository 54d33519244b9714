import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadTasks } from '../../src/task/catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { ensureWatcherFor, needsWatcher, stopWatcher, watchFiles, watcherPid } from '../../src/watch/daemon-control.js';
import type { TaskStatus } from '../../src/task/lifecycle.js';
import { bufferCtx } from '../support/ctx.js';
import { useRecordRepo, writeRecord } from '../support/record-repo.js';

// Starting the watcher is a command's decision (ensureWatcherFor), never a side effect of reading tasks.
const fx = useRecordRepo();

function record(name: string, status: TaskStatus): void {
  // this test's own process: alive for as long as the test runs, so the record stays live
  writeRecord(fx, name, status, status === 'running' ? { pid: process.pid } : {});
}

afterEach(async () => {
  await stopWatcher(fx.repo.stateDir);
});

describe('the watcher decision', () => {
  it('needsWatcher: a live or queued task needs it; ended and blocked ones (they wait for the user) do not', () => {
    const of = (...s: TaskStatus[]) => needsWatcher(s.map((status) => ({ status })));
    expect(of()).toBe(false);
    expect(of('done', 'failed', 'stopped', 'blocked')).toBe(false);
    for (const s of ['starting', 'running', 'idle', 'waiting', 'finishing', 'queued'] as const) expect(of('done', 'blocked', s), s).toBe(true);
  });

  it('loadTasks reads a live task without starting anything', async () => {
    record('live', 'running');
    const tasks = await loadTasks(fx.repo, DEFAULT_CONFIG);
    expect(tasks.map((t) => [t.name, t.status])).toEqual([['live', 'running']]);
    expect(fs.existsSync(watchFiles(fx.repo.stateDir).pid)).toBe(false);
  });

  it('ls starts it for a queued task (the watcher is what launches it)', async () => {
    record('later', 'queued');
    const ctx = bufferCtx(fx.t.root);
    expect(await main(['ls', '--json'], ctx)).toBe(0);
    expect(ctx.stderr()).toBe('');
    expect(watcherPid(fx.repo.stateDir)).toEqual(expect.any(Number));
  });

  it('ensureWatcherFor starts nothing for ended tasks, nor when one runs already', async () => {
    record('over', 'done');
    expect(ensureWatcherFor(fx.repo)).toBeNull();
    expect(ensureWatcherFor(fx.repo, [{ status: 'done' }])).toBeNull();
    const pid = ensureWatcherFor(fx.repo, [{ status: 'running' }]);
    expect(pid).toEqual(expect.any(Number));
    expect(ensureWatcherFor(fx.repo, [{ status: 'running' }])).toBeNull();
    expect(watcherPid(fx.repo.stateDir)).toBe(pid);
  });
});
