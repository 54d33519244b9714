#!/usr/bin/env node
// `conflicts` over many task branches of which a few pairs overlap: its time, the merges it runs
// and the git processes it starts, against the floor of one `git merge-tree` per needed pair and
// the naive way (every pair merged, in one merge-tree --stdin).
// The branches are made with one git fast-import (they are tasks rebuilt from git: no agents run).
// Usage: node bench/conflicts.js [--runs N] [--tasks N] [--pairs N] [--files N]
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { BIN, env, makeRepo, median, run, table, time, cleanup, arg } from './lib.js';

const RUNS = arg('runs', 7);
const TASKS = arg('tasks', 100);
const PAIRS = arg('pairs', 5);
const FILES = arg('files', 1000);
const quiet = { SUPERSET_WATCH: '0' };

const { dir, root } = makeRepo(FILES);
const rows = [];
try {
  const base = run('git', ['rev-parse', 'HEAD'], root).trim();
  // Tasks 0..2*PAIRS-1 rewrite the same line of one shared file per pair; the others add a file each.
  const mark = [];
  for (let i = 0; i < TASKS; i++) {
    const shared = i < 2 * PAIRS ? `src/mod${i >> 1}/file${i >> 1}.ts` : null;
    const path = shared ?? `tasks/t${i}.txt`;
    const content = shared ? `export const value = 'task ${i}';\n` : `task ${i}\n`;
    mark.push(
      `commit refs/heads/superset/t${i}`,
      'committer Bench <bench@example.com> 1700000000 +0000',
      `data ${`t${i}\n`.length}`,
      `t${i}`,
      `from ${base}`,
      `M 100644 inline ${path}`,
      `data ${Buffer.byteLength(content)}`,
      content,
    );
  }
  spawnSync('git', ['fast-import', '--quiet'], { cwd: root, env, input: mark.join('\n') + '\n' });

  const superset = (args, extra = {}) => spawnSync(process.execPath, [BIN, ...args], { cwd: root, env: { ...env, ...quiet, ...extra }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const first = superset(['conflicts', '--json']);
  if (first.status !== 1) throw new Error(`conflicts exited ${first.status}: ${first.stderr}`);
  const result = JSON.parse(first.stdout);
  const debug = superset(['conflicts'], { SUPERSET_DEBUG: '1' });
  const gitLines = debug.stderr.split('\n').filter((l) => l.startsWith('git superset: git '));
  const gitCalls = gitLines.length;
  if (process.argv.includes('--verbose')) console.log(gitLines.map((l) => l.slice(0, 160)).join('\n'));

  // floor: the merges it needs, one merge-tree each, plus node start-up
  const needed = result.conflicts.map((c) => [`superset/${c.a}`, `superset/${c.b}`]);
  const ours = [], floor = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(time(() => superset(['conflicts', '--json'])));
    floor.push(time(() => {
      run(process.execPath, ['-e', '0'], root);
      for (const [a, b] of needed) spawnSync('git', ['merge-tree', '--write-tree', '--name-only', a, b], { cwd: root, env });
    }));
  }
  rows.push({ name: `conflicts --json (${TASKS} tasks, ${PAIRS} overlapping pairs) vs ${needed.length} merge-trees + node`, ours: median(ours), floor: median(floor), target: `${PAIRS} merges` });

  // the naive way: every pair, in one merge-tree --stdin
  const all = [];
  for (let i = 0; i < TASKS; i++) for (let j = i + 1; j < TASKS; j++) all.push(`superset/t${i} superset/t${j}`);
  const naive = time(() => spawnSync('git', ['merge-tree', '--stdin', '-z', '--name-only', '--no-messages'], { cwd: root, env, input: all.join('\n') + '\n', maxBuffer: 256 << 20 }));
  rows.push({ name: `  the naive way: all ${all.length} pairs in one merge-tree --stdin`, ours: median(ours), floor: naive, target: '-' });

  // the base moves on, touching 3 tasks' files: those 3, and only those, are merged against it
  for (const i of [20, 30, 40]) {
    run('git', ['checkout', '-q', 'main'], root);
    spawnSync('sh', ['-c', `mkdir -p tasks && echo base > tasks/t${i}.txt && git add tasks && git commit -qm "base touches t${i}"`], { cwd: root, env });
  }
  run('git', ['commit', '-q', '--allow-empty', '-m', 'and moves on'], root);
  const moved = JSON.parse(superset(['conflicts', '--json']).stdout);
  const movedMs = median(Array.from({ length: RUNS }, () => time(() => superset(['conflicts', '--json']))));

  console.log(`git superset conflicts bench: ${os.cpus().length} cores, node ${process.version}, ${FILES}-file repo, medians of ${RUNS} runs\n`);
  console.log(table(rows));
  console.log(`\nconflicting pairs found: ${result.conflicts.length}; merges run: ${result.merges} (target: ${PAIRS}, plus at most one per task against the base); git processes: ${gitCalls}`);
  console.log(`after the base touched 3 tasks' files: ${moved.conflicts.length} conflicts, ${moved.merges} merges (target: ${PAIRS} + 3), ${movedMs.toFixed(1)} ms`);
} finally {
  cleanup(root, dir);
}
