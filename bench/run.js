#!/usr/bin/env node
// Start-up, start and ls against raw git on the same ~5,000-file repo. Medians; ratios from one run.
// Usage: node bench/run.js [--runs N] [--files N] [--tasks N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, env, makeRepo, median, run, table, time, cleanup, arg } from './lib.js';

const RUNS = arg('runs', 7);
const FILES = arg('files', 5000);
const TASKS = arg('tasks', 100);

const node = (args, cwd) => run(process.execPath, args, cwd);
const superset = (args, cwd) => node([BIN, ...args], cwd);

function settle() {
  // let the agents' exit handlers (a Node process each) finish before the next measurement
  spawnSync('sleep', ['0.3']);
}

const rows = [];
const { dir, root } = makeRepo(FILES);
const wtDir = `${root}.worktrees`;
try {
  // 1. start-up
  const startup = [], floor0 = [];
  for (let i = 0; i < RUNS; i++) {
    startup.push(time(() => superset(['--version'], root)));
    floor0.push(time(() => node(['-e', '0'], root)));
  }
  rows.push({ name: '--version vs node -e 0', ours: median(startup), floor: median(floor0), target: '-' });

  // 2. one start (headless, agent `true`) vs git worktree add -b + node -e 0
  superset(['init'], root);
  const ours = [], raw = [];
  for (let i = 0; i < RUNS; i++) {
    raw.push(time(() => {
      run('git', ['worktree', 'add', '-q', '-b', `raw${i}`, path.join(dir, `raw${i}`), 'HEAD'], root);
      node(['-e', '0'], root);
    }));
    ours.push(time(() => superset(['start', `s${i}`, '--headless', '--agent', 'true'], root)));
    settle();
  }
  rows.push({ name: `start (${FILES} files) vs worktree add -b + node`, ours: median(ours), floor: median(raw), target: '<= 1.5x' });
  for (let i = 0; i < RUNS; i++) {
    run('git', ['worktree', 'remove', '--force', path.join(dir, `raw${i}`)], root);
    run('git', ['branch', '-D', `raw${i}`], root);
  }
  superset(['rm', '--force', ...Array.from({ length: RUNS }, (_, i) => `s${i}`)], root);

  // 3. TASKS tasks from one file vs TASKS sequential git worktree add
  const tasksFile = path.join(dir, 'tasks.txt');
  fs.writeFileSync(tasksFile, Array.from({ length: TASKS }, (_, i) => `t${i}: task number ${i}`).join('\n') + '\n');
  const many = time(() => superset(['start', '--from', tasksFile, '--headless', '--agent', 'true'], root));
  spawnSync('sleep', ['2']);
  const seq = time(() => {
    for (let i = 0; i < TASKS; i++) run('git', ['worktree', 'add', '-q', '-b', `seq${i}`, path.join(dir, `seq${i}`), 'HEAD'], root);
  });
  rows.push({ name: `start --from (${TASKS} tasks) vs ${TASKS} sequential worktree add`, ours: many, floor: seq, target: '<= 0.75x' });

  // 4. ls --json with TASKS tasks (plus the raw worktrees) vs git worktree list + node -e 0
  const ls = [], wl = [];
  for (let i = 0; i < RUNS; i++) {
    ls.push(time(() => superset(['ls', '--json'], root)));
    wl.push(time(() => {
      run('git', ['worktree', 'list'], root);
      node(['-e', '0'], root);
    }));
  }
  const count = JSON.parse(superset(['ls', '--json'], root)).length;
  rows.push({ name: `ls --json (${count} tasks) vs worktree list + node`, ours: median(ls), floor: median(wl), target: '<= 2x' });
} finally {
  cleanup(root, dir, wtDir);
}

console.log(`git superset bench: ${os.cpus().length} cores, node ${process.version}, medians of ${RUNS} runs\n`);
console.log(table(rows));
