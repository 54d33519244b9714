import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { makeRepo, removeRepo, testEnv, type TestRepo } from './repo.js';
import { repoAt, type Repo } from '../../src/git/repo.js';
import { setUpRecord } from '../../src/hooks/setup.js';

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
