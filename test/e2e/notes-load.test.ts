import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, waitFor } from '../support/cli.js';
import { gitIn, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { killAgents } from './_agents.js';
import { eventKey, parseNoteLine } from '../../src/git/note-line.js';

// The record under load (issue 8): 40 concurrent starts; 20 agents making 10 commits each, 10
// agents amending their commit 9 times, 10 agents doing nothing; `sync` and `log` (which scans for
// unrecorded commits, racing the hook) running alongside. Every expected line once, no blank
// line, lines in time order, one path per note, and plain `git log -1 main` stays short.
let repo: TestRepo;
const env = { SUPERSET_WATCH: '0' };

beforeEach(() => {
  repo = makeRepo();
});
afterEach(() => {
  killAgents(repo);
  removeRepo(repo);
});

/** Every note, read with plain git in two processes: annotated object -> text. */
function allNotes(root: string): Map<string, string> {
  const list = spawnSync('git', ['notes', '--ref=superset', 'list'], { cwd: root, env: testEnv(), encoding: 'utf8' });
  if (list.status !== 0 || !list.stdout.trim()) return new Map();
  const pairs = list.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]);
  const out = spawnSync('git', ['cat-file', '--batch'], { cwd: root, env: testEnv(), input: pairs.map(([b]) => b).join('\n') + '\n' });
  const buf = out.stdout;
  const notes = new Map<string, string>();
  let pos = 0;
  for (const [, on] of pairs) {
    const eol = buf.indexOf(0x0a, pos);
    const size = Number(buf.subarray(pos, eol).toString().split(' ')[2]);
    notes.set(on, buf.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    pos = eol + 1 + size + 1;
  }
  return notes;
}

const events = (notes: Map<string, string>) =>
  [...notes].flatMap(([on, text]) => text.split('\n').filter(Boolean).map((l) => ({ on, line: l, e: parseNoteLine(l)! })));

/** When an exit is not recorded: each such task's cached status, exit file and log tail. */
function missingExits(names: string[]): string {
  const exited = new Set(events(allNotes(repo.root)).filter((x) => x.e?.event === 'exited').map((x) => x.e.task));
  const state = path.join(repo.root, '.git', 'superset');
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '(none)');
  return names
    .filter((n) => !exited.has(n))
    .map((n) => [`-- ${n}`, `record: ${read(path.join(state, 'tasks', `${n}.json`)).slice(0, 400)}`, `exit: ${read(path.join(state, 'tasks', `${n}.exit`))}`,
      `log: ${read(path.join(state, 'logs', `${n}.log`)).slice(-800)}`].join('\n'))
    .join('\n');
}

describe('notes under load', () => {
  it('40 concurrent starts, 20 agents x 10 commits, 10 agents amending, sync and log alongside: every line once', async () => {
    const remote = path.join(repo.dir, 'remote.git');
    gitIn(repo.dir, 'init', '-q', '--bare', remote);
    gitIn(repo.root, 'remote', 'add', 'origin', remote);
    const go = path.join(repo.dir, 'go');
    const wait = `while [ ! -f "${go}" ]; do sleep 0.05; done`;
    const committer = `sh -c '${wait}; i=0; while [ $i -lt 10 ]; do echo $i > f.txt; git add f.txt; git commit -q -m "c$i" || exit 1; i=$((i+1)); done'`;
    const amender = `sh -c '${wait}; git commit -q --allow-empty -m a0 || exit 1; j=1; while [ $j -lt 10 ]; do git commit -q --amend --allow-empty -m "a$j" || exit 1; j=$((j+1)); done'`;
    const idle = `sh -c '${wait}'`;
    const tasks = [
      ...Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, agent: committer })),
      ...Array.from({ length: 10 }, (_, i) => ({ name: `a${i}`, agent: amender })),
      ...Array.from({ length: 10 }, (_, i) => ({ name: `o${i}`, agent: idle })),
    ];
    const starts = await Promise.all(tasks.map((t) => cliAsync(repo.root, ['start', t.name, '--headless', '--agent', t.agent, '--prompt', `do ${t.name}`], env)));
    for (const r of starts) expect(r.code, r.stderr).toBe(0);

    let running = true;
    const loop = async (args: string[]) => {
      let n = 0;
      while (running) {
        const r = await cliAsync(repo.root, args, env);
        expect(r.code, r.stderr).toBe(0);
        n++;
      }
      return n;
    };
    const alongside = [loop(['sync']), loop(['log', '--json'])];
    fs.writeFileSync(go, '');
    const exitedCount = () => events(allNotes(repo.root)).filter((x) => x.e?.event === 'exited').length;
    try {
      await waitFor(() => exitedCount() >= 40, 240_000, '40 exits').catch((e: Error) => {
        throw new Error(`${e.message}\n${missingExits(tasks.map((t) => t.name))}`);
      });
    } finally {
      running = false;
    }
    const rounds = await Promise.all(alongside);
    for (const n of rounds) expect(n).toBeGreaterThan(0);
    expect(cli(repo.root, ['sync'], env).code).toBe(0);
    expect(cli(repo.root, ['log'], env).code).toBe(0);

    const notes = allNotes(repo.root);
    const all = events(notes);
    for (const [on, text] of notes) {
      const lines = text.replace(/\n$/, '').split('\n');
      expect(lines.filter((l) => l.trim() === ''), `blank line in the note on ${on}`).toEqual([]);
      expect(lines.every((l) => parseNoteLine(l)), `unreadable line on ${on}`).toBe(true);
      expect([...lines].sort(), `lines out of time order on ${on}`).toEqual(lines);
      const keys = lines.map(eventKey);
      expect(new Set(keys).size, `an event twice on ${on}:\n${text}`).toBe(keys.length);
    }
    // one path per note in the notes tree
    const paths = gitIn(repo.root, 'ls-tree', '-r', '--name-only', 'refs/notes/superset').split('\n').map((p) => p.replace(/\//g, ''));
    expect(new Set(paths).size).toBe(paths.length);

    const base = gitIn(repo.root, 'rev-parse', 'main');
    for (const t of tasks) {
      const mine = all.filter((x) => x.e.task === t.name);
      const started = mine.filter((x) => x.e.event === 'started');
      expect(started, `${t.name} started`).toHaveLength(1);
      expect(started[0]!.e.prompt).toBe(`do ${t.name}`);
      expect(started[0]!.on).toBe(gitIn(repo.root, 'rev-parse', `refs/superset/tasks/${t.name}`));
      expect(mine.filter((x) => x.e.event === 'exited'), `${t.name} exited`).toHaveLength(1);
      expect(mine.find((x) => x.e.event === 'exited')!.e).toMatchObject({ status: 'done', exitCode: 0 });
      const own = gitIn(repo.root, 'rev-list', `${base}..superset/${t.name}`).split('\n').filter(Boolean);
      const expected = t.name.startsWith('c') ? 10 : t.name.startsWith('a') ? 1 : 0;
      expect(own, `${t.name}'s commits`).toHaveLength(expected);
      for (const c of own) expect(mine.filter((x) => x.on === c && x.e.event === 'commit'), `${t.name} commit ${c}`).toHaveLength(1);
    }
    // no line anywhere twice (a copy on rewrite carries lines to a new commit, never a repeat)
    const lines = all.map((x) => `${x.on} ${x.line}`);
    expect(new Set(lines).size).toBe(lines.length);
    // plain git log of the base branch stays readable: no task event sits on it
    expect(notes.has(base)).toBe(false);
    expect(gitIn(repo.root, 'log', '-1', 'main').split('\n').length).toBeLessThan(8);
    // the remote has what we have
    expect(gitIn(remote, 'rev-parse', 'refs/notes/superset')).toBe(gitIn(repo.root, 'rev-parse', 'refs/notes/superset'));
  }, 420_000);
});
