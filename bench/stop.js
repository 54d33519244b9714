#!/usr/bin/env node
// stop: N live headless agents stopped by one `git superset stop` (in parallel, one notes commit)
// against the same N stopped one `stop` at a time. Agents are `sleep`, so SIGTERM ends them at once:
// what is measured is our bookkeeping (state, tmux, the wrappers' exit records, notes).
// Usage: node bench/stop.js [--tasks N]
import { BIN, arg, cleanup, makeRepo, run, table, time } from './lib.js';

const TASKS = arg('tasks', 20);
const superset = (args, cwd) => run(process.execPath, [BIN, ...args], cwd, { SUPERSET_WATCH: '0' });
const names = (prefix) => Array.from({ length: TASKS }, (_, i) => `${prefix}${i}`);

const { dir, root } = makeRepo(10);
try {
  superset(['start', ...names('p'), '--headless', '--agent', 'sleep 600'], root);
  const parallel = time(() => superset(['stop', ...names('p')], root));
  superset(['start', ...names('s'), '--headless', '--agent', 'sleep 600'], root);
  const oneByOne = time(() => {
    for (const name of names('s')) superset(['stop', name], root);
  });
  console.log(table([{ name: `stop ${TASKS} tasks at once vs one stop per task`, ours: parallel, floor: oneByOne, target: `< 5 s for 20` }]));
} finally {
  cleanup(root, dir);
}
