#!/usr/bin/env node
// The queue: 100 tasks started at once with --max-running 10, agents that work 0.2-0.5 s and exit.
// Measured: the time from one agent's end (its last action) to the next queued agent's start (its
// first action): the k-th slot that frees against the k-th task launched from the queue. Real
// agents (sh, headless), real watcher (it launches all but the first 10).
// With agents this short the queue is throughput-bound (10 slots free every ~35 ms, a launch is a
// worktree and ~7 git processes): --scale 10 makes them work 2-5 s, which shows the reaction alone.
// Usage: node bench/queue.js [--tasks 100] [--max 10] [--scale 1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, arg, cleanup, makeRepo, median, run } from './lib.js';

const TASKS = arg('tasks', 100);
const MAX = arg('max', 10);
const SCALE = arg('scale', 1);
const superset = (args, cwd) => run(process.execPath, [BIN, ...args], cwd);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const { dir, root } = makeRepo(50);
try {
  const out = path.join(dir, 'stamps');
  fs.mkdirSync(out);
  const agent = path.join(dir, 'agent.sh');
  // the prompt is the seconds of "work" (0.2, 0.3, 0.4 or 0.5 by task number, times --scale); start and end stamps in ms
  fs.writeFileSync(
    agent,
    `#!/bin/sh\necho $(($(date +%s%N) / 1000000)) > '${out}'/"$SUPERSET_TASK".start\nsleep "$1"\necho "$SUPERSET_TASK" > done.txt\necho $(($(date +%s%N) / 1000000)) > '${out}'/"$SUPERSET_TASK".end\n`,
    { mode: 0o755 },
  );
  const names = Array.from({ length: TASKS }, (_, i) => `t${i}`);
  const file = path.join(dir, 'tasks.txt');
  fs.writeFileSync(file, names.map((n, i) => `${n}: ${(((2 + (i % 4)) * SCALE) / 10).toFixed(1)}`).join('\n') + '\n');
  const t0 = Date.now();
  superset(['start', '--from', file, '--headless', '--max-running', String(MAX), '--agent', agent], root);
  for (;;) {
    const tasks = JSON.parse(superset(['ls', '--json'], root));
    const ended = tasks.filter((t) => ['done', 'failed', 'stopped'].includes(t.status));
    if (ended.length === TASKS) {
      const failed = ended.filter((t) => t.status !== 'done');
      if (failed.length) throw new Error(`${failed.length} tasks did not end done: ${failed.map((t) => `${t.name} ${t.status} ${t.reason ?? ''}`).join('; ')}`);
      break;
    }
    if (Date.now() - t0 > 600_000) throw new Error(`timed out: ${ended.length}/${TASKS} ended`);
    await sleep(1000);
  }
  const total = (Date.now() - t0) / 1000;
  const stamp = (n, ext) => Number(fs.readFileSync(path.join(out, `${n}.${ext}`), 'utf8'));
  const starts = names.map((n) => stamp(n, 'start')).sort((a, b) => a - b);
  const ends = names.map((n) => stamp(n, 'end')).sort((a, b) => a - b);
  // the first MAX start without waiting; the k-th end frees the slot of the (MAX + k)-th start
  const gaps = starts.slice(MAX).map((s, k) => s - ends[k]);
  // the same, only where the previous queued launch had started before this slot freed (nothing in flight)
  const idle = starts.slice(MAX).map((s, k) => (starts[MAX + k - 1] < ends[k] ? s - ends[k] : null)).filter((g) => g !== null);
  let most = 0;
  for (const s of starts) most = Math.max(most, starts.filter((x) => x <= s).length - ends.filter((e) => e < s).length);
  console.log(`queue: ${TASKS} tasks, --max-running ${MAX}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.availableParallelism()} cores)`);
  console.log(`  agents work ${(0.2 * SCALE).toFixed(1)}-${(0.5 * SCALE).toFixed(1)} s`);
  console.log(`  end of an agent -> start of the next queued one: median ${median(gaps).toFixed(0)} ms, p95 ${pct(gaps, 95).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms (target: <= 1000 ms)`);
  if (idle.length) console.log(`  the same when no launch was in flight (${idle.length} of ${gaps.length}): median ${median(idle).toFixed(0)} ms, p95 ${pct(idle, 95).toFixed(0)} ms`);
  console.log(`  most agents alive at once (from the stamps): ${most}; all ${TASKS} done in ${total.toFixed(1)} s`);
} finally {
  cleanup(root, dir);
}
