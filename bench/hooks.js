#!/usr/bin/env node
// Cost of the superset hooks on one commit: the same commit in a task worktree (our hooks:
// trailers, a note, chaining to the user's hooks) and in a plain worktree of the same repo.
// Medians of interleaved runs; the ratio is against the plain commit measured in the same run.
// Usage: node bench/hooks.js [--runs N] [--files N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, makeRepo, median, run, table, time, cleanup, arg } from './lib.js';

const RUNS = arg('runs', 31);
const FILES = arg('files', 200);
const quiet = { SUPERSET_WATCH: '0' };

function commitOnce(worktree, i) {
  fs.writeFileSync(path.join(worktree, 'change.txt'), `change ${i}\n`);
  run('git', ['add', 'change.txt'], worktree);
  return time(() => run('git', ['commit', '-q', '-m', `change ${i}`], worktree));
}

/** Interleaves the two so that machine noise hits both alike. */
function measure(task, plain) {
  const ours = [], floor = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(commitOnce(plain, i));
    ours.push(commitOnce(task, i));
  }
  return { ours: median(ours), floor: median(floor) };
}

const rows = [];
const { dir, root } = makeRepo(FILES);
try {
  run(process.execPath, [BIN, 'start', 'bench', '--headless', '--agent', 'true'], root, quiet);
  const task = path.join(`${root}.worktrees`, 'bench');
  const plain = path.join(dir, 'plain');
  run('git', ['worktree', 'add', '-q', '-b', 'plain', plain], root);
  // warm up both (page cache, the hook's cached answer for the user's hooks path)
  commitOnce(task, -1);
  commitOnce(plain, -1);

  const none = measure(task, plain);
  rows.push({ name: 'commit, no user hooks', ...none, target: '<= 3x or <= 30 ms added' });

  // The user's own hooks run in both worktrees: ours chain to them.
  const hooks = path.join(root, '.git/hooks');
  for (const name of ['pre-commit', 'commit-msg', 'post-commit']) fs.writeFileSync(path.join(hooks, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const chained = measure(task, plain);
  rows.push({ name: 'commit, user pre-commit/commit-msg/post-commit', ...chained, target: '<= 30 ms added' });

  const notes = run('git', ['notes', '--ref=superset', 'list'], root).split('\n').filter(Boolean).length;
  if (notes < 2 * RUNS) throw new Error(`expected a note per task commit, found ${notes}`);
} finally {
  cleanup(root, dir, `${root}.worktrees`);
}

console.log(`git superset hooks bench: ${os.cpus().length} cores, node ${process.version}, ${FILES}-file repo, medians of ${RUNS} commits\n`);
console.log('"git superset" = the commit in a task worktree; "raw git floor" = the same commit in a plain worktree.\n');
console.log(table(rows.map((r) => ({ ...r, name: `${r.name} (+${(r.ours - r.floor).toFixed(1)} ms)` }))));
