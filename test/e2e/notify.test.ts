import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { cli, waitFor } from '../support/cli.js';
import { setUpWatchRepo, tearDownWatch, worktreeOf, readPidFile, alive, type WatchFixture } from './_watch.js';
import { trustConfig, waitForStatus } from './_agents.js';

let repo: TestRepo;
let fx: WatchFixture;
afterEach(async () => {
  await tearDownWatch(repo, fx);
  removeRepo(repo);
});

const watchLog = (): string => {
  try {
    return fs.readFileSync(path.join(repo.root, '.git/superset/logs/watch.log'), 'utf8');
  } catch {
    return '';
  }
};

/** A task whose agent runs until a file named go appears in its worktree, then exits 0. */
async function startGated(name: string): Promise<void> {
  const res = cli(repo.root, ['start', name, '--headless', '--agent', "sh -c 'while [ ! -e go ]; do sleep 0.1; done'"], fx.env);
  expect(res.code, res.stderr).toBe(0);
  // The watcher must have seen the task running before it can see it change.
  await waitFor(() => watchLog().includes(`${name}: watching`), 15_000, 'the watcher to watch the task');
}

describe('config notify', () => {
  it('runs the command with the task in its environment when a task becomes waiting and done', async () => {
    repo = makeRepo();
    const out = path.join(repo.dir, 'notified');
    fs.mkdirSync(out);
    const script = path.join(repo.dir, 'notify.sh');
    fs.writeFileSync(script, `#!/bin/sh\nenv > '${out}'/"$SUPERSET_TASK.$SUPERSET_STATUS.tmp"\nmv '${out}'/"$SUPERSET_TASK.$SUPERSET_STATUS.tmp" '${out}'/"$SUPERSET_TASK.$SUPERSET_STATUS"\n`, { mode: 0o755 });
    fx = setUpWatchRepo(repo, { idleSeconds: 600, notify: [script] });
    // notify runs a command: a repository's config may do that only once trusted
    trustConfig(repo.root, fx.env);
    await startGated('n1');
    const envOf = (file: string) => {
      try {
        return Object.fromEntries(fs.readFileSync(path.join(out, file), 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      } catch {
        return null;
      }
    };
    expect(cli(repo.root, ['signal', 'n1', 'waiting'], fx.env).code).toBe(0);
    const waiting = await waitFor(() => envOf('n1.waiting'), 15_000, 'the waiting notification');
    expect(waiting).toMatchObject({ SUPERSET_TASK: 'n1', SUPERSET_STATUS: 'waiting', SUPERSET_WORKTREE: worktreeOf(repo, 'n1') });
    fs.writeFileSync(path.join(worktreeOf(repo, 'n1'), 'go'), '');
    await waitForStatus(repo, 'n1', 'done', fx.env);
    const done = await waitFor(() => envOf('n1.done'), 15_000, 'the done notification');
    expect(done).toMatchObject({ SUPERSET_TASK: 'n1', SUPERSET_STATUS: 'done', SUPERSET_WORKTREE: worktreeOf(repo, 'n1') });
    expect(fs.readdirSync(out).sort()).toEqual(['n1.done', 'n1.waiting']);
  });

  it('runs nothing from an untrusted config', async () => {
    repo = makeRepo();
    const out = path.join(repo.dir, 'notified');
    fs.mkdirSync(out);
    const script = path.join(repo.dir, 'notify.sh');
    fs.writeFileSync(script, `#!/bin/sh\ntouch '${out}'/"$SUPERSET_TASK.$SUPERSET_STATUS"\n`, { mode: 0o755 });
    fx = setUpWatchRepo(repo, { idleSeconds: 600, notify: [script] });
    await startGated('n3');
    fs.writeFileSync(path.join(worktreeOf(repo, 'n3'), 'go'), '');
    await waitForStatus(repo, 'n3', 'done', fx.env);
    // the watcher has looked at the done task (its next tick stops watching it)
    await waitFor(() => watchLog().includes('n3: stopped watching'), 15_000, 'the watcher to see n3 end');
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('logs a notify command that fails and keeps watching', async () => {
    repo = makeRepo();
    fx = setUpWatchRepo(repo, { idleSeconds: 600, notify: [path.join(repo.dir, 'no-such-notifier')] });
    trustConfig(repo.root, fx.env);
    await startGated('n2');
    fs.writeFileSync(path.join(worktreeOf(repo, 'n2'), 'go'), '');
    await waitForStatus(repo, 'n2', 'done', fx.env);
    await waitFor(() => /notify n2 done: .*no-such-notifier failed: .*ENOENT/.test(watchLog()), 15_000, 'the logged failure');
    expect(alive(readPidFile(repo)!)).toBe(true);
  });
});
