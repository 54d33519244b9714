import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import type { TestRepo } from '../support/repo.js';
import { gitAt, noReaction, snapshotCount, worktreeOf, type WatchFixture, useWatchRepo } from './_watch.js';

let repo: TestRepo;
let fx: WatchFixture;
const w = useWatchRepo();
beforeEach(() => ({ repo, fx } = w));

const start = (name: string): string => {
  const res = cli(repo.root, ['start', name, '--headless', '--agent', 'sleep 120'], fx.env);
  expect(res.code, res.stderr).toBe(0);
  return worktreeOf(repo, name);
};

const snapshotTip = (task: string): string => repo.git('rev-parse', `refs/superset/snapshots/${task}`);

describe('snapshots', () => {
  it('appear after the quiet period without touching the branch, HEAD or index', async () => {
    const wt = start('s');
    const tip = repo.git('rev-parse', 'superset/s');
    fs.writeFileSync(path.join(wt, 'work.txt'), 'uncommitted work\n');
    fs.appendFileSync(path.join(wt, 'README.md'), 'edited\n');
    fs.writeFileSync(path.join(wt, 'ignored.log'), 'not in snapshots\n');
    gitAt(wt, 'add', 'README.md'); // something staged: the real index must stay as it is
    const indexBefore = gitAt(wt, 'diff', '--cached', '--name-only');

    await waitFor(() => snapshotCount(repo, 's') === 1, 15_000, 'a snapshot');
    expect(gitAt(wt, 'status', '--porcelain')).toBe('M  README.md\n?? work.txt');
    expect(repo.git('rev-parse', 'superset/s')).toBe(tip);
    expect(gitAt(wt, 'rev-parse', 'HEAD')).toBe(tip);
    expect(gitAt(wt, 'symbolic-ref', 'HEAD')).toBe('refs/heads/superset/s');
    expect(gitAt(wt, 'diff', '--cached', '--name-only')).toBe(indexBefore);

    const snap = snapshotTip('s');
    expect(repo.git('rev-parse', `${snap}^`)).toBe(tip);
    expect(repo.git('show', `${snap}:work.txt`)).toBe('uncommitted work');
    expect(repo.git('show', `${snap}:README.md`)).toContain('edited');
    expect(repo.git('ls-tree', '--name-only', snap)).not.toContain('ignored.log');
    const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)', snap);
    expect(trailers).toContain('Superset-Task: s');
    expect(trailers).toContain('Superset-Agent: sleep 120');
    expect(trailers).toContain(`Superset-Snapshot: ${tip}`);

    // Unchanged tree: no second snapshot. A new change: one more, on top of the first.
    await noReaction();
    expect(snapshotCount(repo, 's')).toBe(1);
    fs.writeFileSync(path.join(wt, 'work.txt'), 'more work\n');
    await waitFor(() => snapshotCount(repo, 's') === 2, 15_000, 'a second snapshot');
    expect(repo.git('rev-parse', `${snapshotTip('s')}^`)).toBe(snap);
  });

  it('are not taken while a git operation is in progress', async () => {
    const wt = start('b');
    const gitDir = gitAt(wt, 'rev-parse', '--absolute-git-dir');
    fs.writeFileSync(path.join(gitDir, 'MERGE_HEAD'), `${repo.git('rev-parse', 'HEAD')}\n`);
    fs.writeFileSync(path.join(wt, 'half.txt'), 'mid-merge\n');
    await noReaction();
    expect(snapshotCount(repo, 'b')).toBe(0);
    fs.rmSync(path.join(gitDir, 'MERGE_HEAD'));
    await waitFor(() => snapshotCount(repo, 'b') === 1, 15_000, 'the snapshot once the merge is over');
  });

  it('restore brings a deleted file back, and refuses over uncommitted changes without --force', async () => {
    const wt = start('r');
    fs.writeFileSync(path.join(wt, 'precious.txt'), 'precious\n');
    await waitFor(() => snapshotCount(repo, 'r') === 1, 15_000, 'a snapshot');
    const first = snapshotTip('r');
    // From here on no watcher: under load it would snapshot the deletion before `restore` runs,
    // and the newest snapshot would then be that deletion.
    const noWatch = { ...fx.env, SUPERSET_WATCH: '0' };
    expect(cli(repo.root, ['watch', '--stop'], noWatch).code).toBe(0);
    fs.rmSync(path.join(wt, 'precious.txt'));
    const res = cli(repo.root, ['restore', 'r'], noWatch);
    expect(res.code, res.stderr).toBe(0);
    expect(fs.readFileSync(path.join(wt, 'precious.txt'), 'utf8')).toBe('precious\n');
    expect(gitAt(wt, 'status', '--porcelain')).toBe('?? precious.txt');

    // Now a tracked file deleted: that is an uncommitted change restore must not overwrite.
    fs.rmSync(path.join(wt, 'README.md'));
    fs.writeFileSync(path.join(wt, 'precious.txt'), 'changed again\n');
    const refused = cli(repo.root, ['restore', 'r'], noWatch);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`git superset: refusing to restore over 2 uncommitted files in ${wt} (use --force: they are snapshotted first)\n`);
    expect(fs.existsSync(path.join(wt, 'README.md'))).toBe(false);

    expect(snapshotTip('r')).toBe(first);
    const forced = cli(repo.root, ['restore', 'r', first, '--force'], noWatch);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(path.join(wt, 'README.md'), 'utf8')).toBe('# test\n');
    expect(fs.readFileSync(path.join(wt, 'precious.txt'), 'utf8')).toBe('precious\n');
    // What --force overwrote is kept as the newest snapshot.
    const saved = /saved the overwritten changes as snapshot ([0-9a-f]{12})/.exec(forced.stdout)?.[1];
    expect(saved).toBeDefined();
    expect(repo.git('show', `${saved}:precious.txt`)).toBe('changed again');
    expect(repo.git('ls-tree', '--name-only', saved!)).not.toContain('README.md');
  });

  it('restore explains a task without snapshots', () => {
    start('n');
    const res = cli(repo.root, ['restore', 'n'], { ...fx.env, SUPERSET_WATCH: '0' });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: task n has no snapshots yet (they are taken while the watcher runs)\n');
  });
});
