import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { findRepo } from '../../src/git/repo.js';
import { notesLockPath, readNotes } from '../../src/git/notes.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { recordExit } from '../../src/task/commit-on-exit.js';
import { processStart } from '../../src/task/lock.js';
import type { TaskState } from '../../src/task/state.js';

// The `exited` note is written by a process nobody waits on, and nothing writes it later: a notes
// lock kept busy past one timeout (many agents committing on a slow machine) must not drop it.
let repo: TestRepo;
const timeout = process.env.SUPERSET_LOCK_TIMEOUT_SECONDS;
beforeEach(() => {
  repo = makeRepo();
  process.env.SUPERSET_LOCK_TIMEOUT_SECONDS = '0.4'; // the notes lock waits twice this: 0.8 s
});
afterEach(() => {
  if (timeout === undefined) delete process.env.SUPERSET_LOCK_TIMEOUT_SECONDS;
  else process.env.SUPERSET_LOCK_TIMEOUT_SECONDS = timeout;
  removeRepo(repo);
});

describe('recording an exit', () => {
  it('waits again for a notes lock held past one timeout, and the exited note is written', async () => {
    repo.git('branch', 'superset/t');
    const r = await findRepo(repo.root);
    const state: TaskState = {
      v: 1, name: 't', branch: 'superset/t', worktree: path.join(repo.dir, 'gone'), agent: 'sh', argv: ['sh'], runner: 'headless',
      base: 'main', baseCommit: repo.git('rev-parse', 'HEAD'), startedAt: new Date().toISOString(), status: 'done', exitCode: 0,
    };
    // A live holder (this process) keeps the lock for about two timeouts.
    fs.mkdirSync(r.stateDir, { recursive: true });
    fs.writeFileSync(notesLockPath(r), `${process.pid} ${processStart(process.pid)}\n`);
    const release = setTimeout(() => fs.rmSync(notesLockPath(r), { force: true }), 1_400);
    const warnings: string[] = [];
    try {
      await recordExit(r, DEFAULT_CONFIG, state, (w) => warnings.push(w));
    } finally {
      clearTimeout(release);
    }
    expect(warnings).toEqual([]);
    const exited = (await readNotes(r)).filter((e) => e.event === 'exited');
    expect(exited).toMatchObject([{ task: 't', status: 'done', exitCode: 0, on: repo.git('rev-parse', 'superset/t') }]);
  });
});
