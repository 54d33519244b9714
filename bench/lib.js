// Shared bench helpers: real repos, real processes, medians and ratios measured in one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin/git-superset.js');

export const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  SUPERSET_TMUX_SOCKET: `superset-bench-${process.pid}`,
};

export function run(cmd, args, cwd, extraEnv = {}) {
  const res = spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
}

/** `--name N` from the command line, else the default. */
export function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Wall time of fn in ms. */
export function time(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A repository of `files` small files in `dirs` directories, one commit. */
export function makeRepo(files, name = 'repo') {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'superset-bench-')));
  const root = path.join(dir, name);
  fs.mkdirSync(root);
  run('git', ['init', '-q', '-b', 'main'], root);
  for (let i = 0; i < files; i++) {
    const sub = path.join(root, `src/mod${i % 50}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `file${i}.ts`), `export const value${i} = ${i};\n`.repeat(20));
  }
  run('git', ['add', '-A'], root);
  run('git', ['commit', '-q', '-m', 'bench repo'], root);
  return { dir, root };
}

export function table(rows) {
  const header = ['measure', 'git superset', 'raw git floor', 'ratio', 'target'];
  const cells = rows.map((r) => [r.name, `${r.ours.toFixed(1)} ms`, `${r.floor.toFixed(1)} ms`, `${(r.ours / r.floor).toFixed(2)}x`, r.target]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/**
 * Removes a bench repo and its worktrees. Agents' exit handlers and the watcher may still be
 * writing there for a moment: stop the watcher, then let rm retry.
 */
export function cleanup(root, ...dirs) {
  spawnSync(process.execPath, [BIN, 'watch', '--stop'], { cwd: root, env: { ...env, SUPERSET_WATCH: '0' } });
  spawnSync('tmux', ['-L', env.SUPERSET_TMUX_SOCKET, 'kill-server']);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
