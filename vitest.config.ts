import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take far longer than their size suggests (many agents, a real terminal). They start
 * first, so none of them is the tail of a parallel run; vitest otherwise orders by its results
 * cache, which a CI machine does not have, and then by file size. Measured with `--reporter=json`
 * (see docs/architecture.md, "Testing").
 */
const SLOW_FIRST = [
  'test/e2e/review.test.ts',
  'test/e2e/lifecycle.test.ts',
  'test/e2e/board.test.ts',
  'test/e2e/task-env.test.ts',
  'test/e2e/start.test.ts',
  'test/e2e/hooks.test.ts',
  'test/e2e/status-truth.test.ts',
  'test/e2e/task-graph.test.ts',
];

/**
 * The record under load: each of these keeps both cores busy by itself (40 agents, 30 writers), so
 * beside other files it only slows them into their timeouts. They run last, one at a time.
 */
const LOAD = ['test/e2e/notes-load.test.ts', 'test/integration/notes-concurrency.test.ts', 'test/integration/notes-rewrite.test.ts'];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = SLOW_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return (await super.sort(files)).map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

// e2e files mostly wait on the processes they start (agents, git, tmux), so a worker per core
// leaves the cores idle: vitest's default (cores - 1) ran the suite one file at a time on 2 cores.
const workers = Math.max(2, os.availableParallelism() + 1);

// unit: pure functions, no repo. integration: modules against real repos. e2e: the built bin.
// load: the stress tests of the record, after the others.
export default defineConfig({
  test: {
    maxWorkers: workers,
    sequence: { sequencer: SlowFirst },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], exclude: LOAD, testTimeout: 30_000, hookTimeout: 30_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], exclude: LOAD, testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'load', include: LOAD, maxWorkers: 1, sequence: { groupOrder: 1 }, testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
