import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { makeRepo, removeRepo, testEnv, type TestRepo } from './repo.js';
import { repoAt, type Repo } from '../../src/git/repo.js';
import { setUpRecord } from '../../src/hooks/setup.js';
import { TaskStore } from '../../src/task/store.js';
import type { TaskState } from '../../src/task/state.js';
import type { TaskStatus } from '../../src/task/lifecycle.js';

export interface RecordRepo {
  t: TestRepo;
  repo: Repo;
}

/**
 * A real repository per test with the record set up (notes config, hooks), for modules that run
 * git in the test's own process: they get the tests' deterministic git environment, restored
 * afterwards. Read the fields inside a test (or a later beforeEach).
 */
export function useRecordRepo(): RecordRepo {
  const fx = {} as RecordRepo;
  const saved = { ...process.env };
  beforeEach(async () => {
    fx.t = makeRepo();
    fx.repo = repoAt(fx.t.root, path.join(fx.t.root, '.git'));
    Object.assign(process.env, testEnv());
    for (const k of Object.keys(process.env)) if (k.startsWith('GIT_') && !(k in testEnv())) delete process.env[k];
    await setUpRecord(fx.repo);
  });
  afterEach(() => {
    process.env = { ...saved };
    removeRepo(fx.t);
  });
  return fx;
}

/** A task record written by hand into the fixture's cache (a headless `sh` task on main), as start would leave it. */
export function writeRecord(fx: RecordRepo, name: string, status: TaskStatus, extra: Partial<TaskState> = {}): TaskState {
  const state: TaskState = {
    v: 1,
    name,
    branch: `superset/${name}`,
    worktree: `${fx.t.root}.worktrees/${name}`,
    agent: 'sh',
    argv: ['sh'],
    runner: 'headless',
    base: 'main',
    baseCommit: fx.t.git('rev-parse', 'HEAD'),
    startedAt: new Date().toISOString(),
    status,
    ...extra,
  };
  new TaskStore(fx.repo).write(state);
  return state;
}
