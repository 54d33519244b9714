#!/usr/bin/env node
// The watcher with many live tasks: daemon RSS, CPU over idle seconds, inotify watches, and the
// time from a file write to `ls --json` showing it. Real worktrees, real chokidar, real agents
// (`sleep`), headless. Usage: node bench/watch.js [--tasks 100] [--files 1000] [--idle 30] [--samples 5]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, env, makeRepo, median, run, arg } from './lib.js';

const TASKS = arg('tasks', 100);
const FILES = arg('files', 1000);
const IDLE = arg('idle', 30);
const SAMPLES = arg('samples', 5);

const superset = (args, cwd) => run(process.execPath, [BIN, ...args], cwd);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ticks = os.constants?.signals ? 100 : 100; // USER_HZ on Linux
const CLK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || ticks;

function procStat(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuTicks: Number(f[11]) + Number(f[12]) };
}
const rssMB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const hwmMB = (pid) => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
function inotifyWatches(pid) {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      n += (fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').match(/^inotify wd:/gm) ?? []).length;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

async function waitFor(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const { dir, root } = makeRepo(FILES);
const stateDir = path.join(root, '.git/superset');
const rows = [];
try {
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  run('git', ['add', '.gitignore'], root);
  run('git', ['commit', '-qm', 'ignore'], root);
  const tasksFile = path.join(dir, 'tasks.txt');
  fs.writeFileSync(tasksFile, Array.from({ length: TASKS }, (_, i) => `w${i}: bench ${i}`).join('\n') + '\n');
  const t0 = Date.now();
  superset(['start', '--from', tasksFile, '--headless', '--agent', "sh -c 'exec sleep 3600'"], root);
  const startMs = Date.now() - t0;

  const pid = await waitFor(() => {
    try {
      return JSON.parse(fs.readFileSync(path.join(stateDir, 'watch.pid'), 'utf8')).pid;
    } catch {
      return null;
    }
  }, 30_000, 'the watcher');
  const log = path.join(stateDir, 'logs/watch.log');
  const a0 = Date.now();
  await waitFor(() => (fs.readFileSync(log, 'utf8').match(/: watching /g) ?? []).length >= TASKS, 600_000, 'every worktree to be watched');
  const attachMs = Date.now() - a0;
  await sleep(2000); // let the start-up settle before measuring idle

  const before = procStat(pid).cpuTicks;
  const t1 = Date.now();
  await sleep(IDLE * 1000);
  const cpuSec = (procStat(pid).cpuTicks - before) / CLK;
  const wallSec = (Date.now() - t1) / 1000;
  const idleRss = rssMB(pid);
  const watches = inotifyWatches(pid);

  // Latency: write, then poll `ls --json` until the task's changedFiles shows the new file.
  const lsLatency = [];
  const fileLatency = [];
  for (let s = 0; s < SAMPLES; s++) {
    const name = `w${(s * 37) % TASKS}`;
    const stateFile = path.join(stateDir, 'tasks', `${name}.json`);
    const was = JSON.parse(fs.readFileSync(stateFile, 'utf8')).changedFiles ?? 0;
    const wt = path.join(`${root}.worktrees`, name);
    const w = Date.now();
    fs.writeFileSync(path.join(wt, `src/mod${s}/bench-${s}.ts`), `export const x = ${s};\n`);
    let fileSeen = null;
    for (;;) {
      if (fileSeen === null && (JSON.parse(fs.readFileSync(stateFile, 'utf8')).changedFiles ?? 0) > was) fileSeen = Date.now() - w;
      const row = JSON.parse(superset(['ls', '--json'], root)).find((t) => t.name === name);
      if ((row.changedFiles ?? 0) > was) break;
      if (Date.now() - w > 30_000) throw new Error(`change in ${name} not seen`);
    }
    lsLatency.push(Date.now() - w);
    fileLatency.push(fileSeen ?? Date.now() - w);
    await sleep(500);
  }

  rows.push(['tasks x files', `${TASKS} x ${FILES + 1}`, '100 x ~1,000']);
  rows.push(['start --from (all tasks)', `${(startMs / 1000).toFixed(1)} s`, '-']);
  rows.push(['watcher attached to every worktree', `${(attachMs / 1000).toFixed(1)} s`, '-']);
  rows.push(['inotify watches (directories only)', String(watches), '-']);
  rows.push(['daemon RSS, idle', `${idleRss.toFixed(0)} MB`, '<= 150 MB']);
  rows.push(['daemon peak RSS (VmHWM)', `${hwmMB(pid).toFixed(0)} MB`, '-']);
  rows.push([`daemon CPU over ${IDLE} idle s`, `${cpuSec.toFixed(2)} s (${((100 * cpuSec) / wallSec).toFixed(2)} %)`, '~0']);
  rows.push([`write -> state file (median of ${SAMPLES})`, `${median(fileLatency)} ms`, '-']);
  rows.push([`write -> ls --json shows it (median of ${SAMPLES})`, `${median(lsLatency)} ms`, '<= 1 s after 200 ms debounce']);
} finally {
  for (const f of fs.existsSync(path.join(stateDir, 'tasks')) ? fs.readdirSync(path.join(stateDir, 'tasks')) : []) {
    if (!f.endsWith('.json')) continue;
    try {
      process.kill(-JSON.parse(fs.readFileSync(path.join(stateDir, 'tasks', f), 'utf8')).pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  spawnSync(process.execPath, [BIN, 'watch', '--stop'], { cwd: root, env: { ...env, SUPERSET_WATCH: '0' } });
  spawnSync('tmux', ['-L', env.SUPERSET_TMUX_SOCKET, 'kill-server']);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${root}.worktrees`, { recursive: true, force: true });
}

const header = ['measure', 'value', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
console.log(`git superset watcher bench: ${os.cpus().length} cores, node ${process.version}\n`);
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
