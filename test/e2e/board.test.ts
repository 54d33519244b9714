import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { useWatchRepo, worktreeOf } from './_watch.js';
import { lsJson, waitForStatus } from './_agents.js';
import { openBoard } from './_board.js';
import { privateTmux } from '../support/tmux.js';
import { spawnSync } from 'node:child_process';
import { testEnv } from '../support/repo.js';

// Statuses come from the agents' own signals here, not from the idle timer.
const w = useWatchRepo({ idleSeconds: 600, snapshot: { quietSeconds: 1 } });

/** A real agent that waits on `read`, then writes the line it got where the test can see it. */
function readerAgent(): { bin: string; got: (task: string) => string | null } {
  const out = path.join(w.repo.dir, 'got');
  fs.mkdirSync(out, { recursive: true });
  const bin = path.join(w.repo.dir, 'reader');
  fs.writeFileSync(bin, `#!/bin/sh\necho "ready for input"\nread line\nprintf '%s\\n' "$line" > '${out}'/"$SUPERSET_TASK"\nexec sleep 600\n`, { mode: 0o755 });
  return {
    bin,
    got: (task) => {
      try {
        return fs.readFileSync(path.join(out, task), 'utf8');
      } catch {
        return null;
      }
    },
  };
}

function ok(args: string[]): void {
  const res = cli(w.repo.root, args, w.fx.env);
  if (res.code !== 0) throw new Error(`git superset ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
}

/** 12 tasks: 2 waiting, 3 running, 2 idle, 2 failed, 2 done, 1 stopped (with an uncommitted file). */
async function twelveTasks(reader: string): Promise<void> {
  ok(['start', 'w1', 'w2', 'r1', 'r2', 'r3', 'i1', 'i2', 's1', '--tmux', '--agent', reader]);
  ok(['start', 'f1', 'f2', '--headless', '--agent', "sh -c 'exit 3'"]);
  ok(['start', 'd1', 'd2', '--headless', '--agent', 'true']);
  for (const t of ['w1', 'w2']) ok(['signal', t, 'waiting']);
  for (const t of ['i1', 'i2']) ok(['signal', t, 'idle']);
  ok(['stop', 's1']);
  for (const [t, s] of [['f1', 'failed'], ['f2', 'failed'], ['d1', 'done'], ['d2', 'done']] as const) await waitForStatus(w.repo, t, s, w.fx.env);
  fs.writeFileSync(path.join(worktreeOf(w.repo, 's1'), 'notes.txt'), 'work in progress\n');
}

describe('git superset board', () => {
  it('shows, follows and drives 12 tasks of mixed states in a real terminal', async () => {
    const reader = readerAgent();
    await twelveTasks(reader.bin);
    const board = openBoard(w.repo.root, w.fx.env);

    // rows in board order and the header's counts
    await board.waitScreen(/12 tasks {2}! 2 waiting {2}▶ 3 running {2}· 2 idle {2}✗ 2 failed {2}✓ 2 done {2}■ 1 stopped/, 'the header', 30_000);
    expect(board.rows()).toEqual(['w1', 'w2', 'r1', 'r2', 'r3', 'i1', 'i2', 'f1', 'f2', 'd1', 'd2', 's1']);
    const row = (name: string) => board.screen().find((l) => new RegExp(`^[> ]\\S \\S+\\s+${name} `).test(l));
    expect(row('w1')).toMatch(/^>! waiting {3}w1 /); // selected; status as a symbol and a word
    // the first frame comes from the cache alone: the ahead counts (+?) follow from git
    await board.waitScreen(/^ ✗ failed {4}f1 .* \+0 ~0 +\d+s ago/, "f1's row with its ahead count");
    // the right pane follows the selected tmux task's screen
    await board.waitScreen(/ready for input/, "w1's screen in the right pane");

    // a state change moves the row (the latency is measured in bench/board.js)
    ok(['signal', 'r3', 'waiting']);
    await board.waitScreen(() => board.rows().slice(0, 3).join(' ') === 'r3 w1 w2', 'r3 to move up among the waiting', 5000);
    await board.waitScreen(/12 tasks {2}! 3 waiting {2}▶ 2 running/, 'the new counts');

    // the selection stayed on w1 by name while r3 moved above it
    await board.waitScreen(/^>! waiting {3}w1 /, 'w1 still selected');

    // s: a message into the agent waiting on read
    board.keys('s');
    await board.waitScreen(/^send to w1: /, 'the send prompt');
    board.type('hello from the board');
    await board.waitScreen(/^send to w1: hello from the board/, 'the typed text');
    board.keys('Enter');
    expect(await waitFor(() => reader.got('w1'), 10_000, 'w1 to read the message')).toBe('hello from the board\n');
    await board.waitScreen(/^sent to w1/, 'the confirmation');

    // / filters by name; x stops the selected task after y
    board.keys('/');
    board.type('r2');
    await board.waitScreen(() => board.rows().join(' ') === 'r2', 'the filter to leave r2 alone');
    board.keys('Enter', 'x');
    await board.waitScreen(/^stop r2\? \(y\/N\)/, 'the stop question');
    board.keys('y');
    await waitForStatus(w.repo, 'r2', 'stopped', w.fx.env);
    await board.waitScreen(/^>■ stopped {3}r2 /, 'r2 shown stopped');
    // the op's own answer (it may come after the record: a late one would overwrite later messages)
    await board.waitScreen(/^stopped r2(?: \(killed after timeout\))?; worktree kept/, 'the stop confirmation');
    board.keys('Escape');
    await board.waitScreen(() => board.rows().length === 12, 'the filter cleared');

    // r on a task with uncommitted work refuses, and says what would be lost
    board.keys('/');
    board.type('s1');
    await board.waitScreen(() => board.rows().join(' ') === 's1', 's1 alone');
    board.keys('Enter', 'r');
    await board.waitScreen(/^remove s1 \(worktree, branch, state\)\? \(y\/N\)/, 'the remove question');
    board.keys('y');
    await board.waitScreen(/^not removed: s1: it has 1 uncommitted file\. Remove it anyway and lose that\? \(y\/N\)/, 'the refusal with what is lost');
    board.keys('n');
    await board.waitScreen(/^remove cancelled/, 'the cancel');
    expect(fs.existsSync(path.join(worktreeOf(w.repo, 's1'), 'notes.txt'))).toBe(true);
    expect(lsJson(w.repo, w.fx.env).map((t) => t.name)).toContain('s1');

    // q: exit 0, out of the alternate screen, cursor back, nothing stopped
    board.keys('q');
    await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
    expect(board.pane()).toEqual({ exited: 0, alternate: false, cursor: true });
    expect(board.screen().filter((l) => l.trim())).toEqual(['board exited 0']);
    const after = lsJson(w.repo, w.fx.env);
    expect(after.filter((t) => ['running', 'waiting', 'idle'].includes(t.status)).map((t) => t.name).sort()).toEqual(['i1', 'i2', 'r1', 'r3', 'w1', 'w2']);
    expect(w.fx.tmux.sessions()).toContain(after.find((t) => t.name === 'w1')!.tmuxSession);
  }, 120_000);

  it('Enter attaches: the board steps aside for tmux and comes back after a detach', async () => {
    const reader = readerAgent();
    ok(['start', 'a1', '--tmux', '--agent', reader.bin]);
    // The board's terminal is a pane of another tmux server, as a user's terminal would be.
    const outer = privateTmux();
    try {
      const board = openBoard(w.repo.root, w.fx.env, 150, 40, outer.socket);
      await board.waitScreen(/^>▶ running {3}a1 /, 'a1 selected', 30_000);
      board.keys('Enter');
      await board.waitScreen((lines) => lines[0] === 'ready for input', "a1's own screen (attached)");
      // keys now reach the agent, none is taken by the board
      board.type('typed while attached');
      board.keys('Enter');
      expect(await waitFor(() => reader.got('a1'), 10_000, 'a1 to read the line')).toBe('typed while attached\n');
      board.keys('C-b', 'd');
      await board.waitScreen(/git superset board · 1 task/, 'the board back after the detach');
      // and the board reads its keys again
      board.keys('?');
      await board.waitScreen(/^git superset board: every task, live/, 'the help');
      board.keys('Escape'); // (one at a time: Escape then q in one read is Alt-q)
      await board.waitScreen(/^>▶ running {3}a1 /, 'the list again');
      board.keys('q');
      await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
      expect(board.pane().exited).toBe(0);
    } finally {
      outer.kill();
    }
  }, 120_000);

  it('opens and scrolls with 100 tasks', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    fs.writeFileSync(path.join(w.repo.dir, 'tasks.txt'), names.map((n) => `${n}: nothing`).join('\n') + '\n');
    ok(['start', '--from', path.join(w.repo.dir, 'tasks.txt'), '--headless', '--agent', 'true']);
    await waitFor(() => lsJson(w.repo, w.fx.env).every((t) => t.status === 'done'), 60_000, 'all 100 done');
    const board = openBoard(w.repo.root, w.fx.env, 120, 30);
    await board.waitScreen(/100 tasks {2}✓ 100 done/, 'the header');
    expect(board.rows()[0]).toBe('t000');
    await board.waitScreen(/^ {2}1-\d+ of 100/, 'the position line');
    board.keys('G');
    await board.waitScreen(() => board.rows().at(-1) === 't099', 'the last row');
    await board.waitScreen(/^>✓ done {6}t099 /, 't099 selected');
    board.keys('PageUp');
    await board.waitScreen(/^>✓ done {6}t076 /, 'a page up (23 rows of 24)');
    board.keys('g');
    await board.waitScreen(() => board.rows()[0] === 't000' && !board.rows().includes('t099'), 'back at the top');
    board.keys('q');
    await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
    expect(board.pane().exited).toBe(0);
  }, 180_000);

  it('o opens the worktree in an editor (a window, or the terminal it gives back); overlapping tasks are marked', async () => {
    ok(['start', 'ov1', 'ov2', 'solo', '--headless', '--agent', 'true']);
    for (const t of ['ov1', 'ov2', 'solo']) await waitForStatus(w.repo, t, 'done', w.fx.env);
    // ov1 and ov2 both change shared.txt, solo another file
    for (const [t, file] of [['ov1', 'shared.txt'], ['ov2', 'shared.txt'], ['solo', 'own.txt']] as const) {
      const wt = worktreeOf(w.repo, t);
      fs.writeFileSync(path.join(wt, file), `${t}\n`);
      for (const args of [['add', file], ['commit', '-qm', `${t} changes ${file}`]]) {
        const res = spawnSync('git', args, { cwd: wt, env: testEnv(w.fx.env) });
        expect(res.status).toBe(0);
      }
    }
    // an "editor" that writes what it was asked to open where the test can see it
    const opened = path.join(w.repo.dir, 'opened');
    const gui = path.join(w.repo.dir, 'my-editor');
    fs.writeFileSync(gui, `#!/bin/sh\nprintf '%s\\n' "$1" > '${opened}'\n`, { mode: 0o755 });
    let board = openBoard(w.repo.root, { ...w.fx.env, EDITOR: gui });
    await board.waitScreen(/^>✓ done {6}ov1 ! /, 'ov1 marked as overlapping', 30_000);
    const row = (name: string) => board.screen().find((l) => new RegExp(`^[> ]\\S \\S+\\s+${name} `).test(l));
    expect(row('ov2')).toMatch(/^ ✓ done {6}ov2 ! /);
    expect(row('solo')).toMatch(/^ ✓ done {6}solo {2}/);
    await board.waitScreen(/! overlaps ov2 \(shared\.txt\)/, 'the overlap named in the right pane');
    board.keys('o');
    expect(await waitFor(() => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : null), 10_000, 'the editor to run')).toBe(`${worktreeOf(w.repo, 'ov1')}\n`);
    await board.waitScreen(new RegExp(`^opened ov1 with ${gui}`), 'the message');
    board.keys('q');
    await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
    board.close();

    // a terminal editor (by its name) gets the terminal, and the board comes back when it exits
    const bin = path.join(w.repo.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'nano'), `#!/bin/sh\necho "editing $1"\nread line\nprintf '%s\\n' "$line" > '${opened}'\n`, { mode: 0o755 });
    board = openBoard(w.repo.root, { ...w.fx.env, EDITOR: path.join(bin, 'nano') });
    await board.waitScreen(/^>✓ done {6}ov1 ! /, 'the board', 30_000);
    board.keys('o');
    await board.waitScreen((lines) => lines[0] === `editing ${worktreeOf(w.repo, 'ov1')}`, 'the editor on the terminal');
    board.type('saved');
    board.keys('Enter');
    await board.waitScreen(new RegExp(`^back from ${path.join(bin, 'nano')} \\(ov1\\)`), 'the board back, saying so');
    expect(fs.readFileSync(opened, 'utf8')).toBe('saved\n');
    board.keys('q');
    await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
    expect(board.pane()).toMatchObject({ exited: 0, alternate: false });
    board.close();

    // no such editor: one line in the board's status line, the board goes on
    board = openBoard(w.repo.root, { ...w.fx.env, EDITOR: path.join(bin, 'missing-editor') });
    await board.waitScreen(/^>✓ done {6}ov1 ! /, 'the board', 30_000);
    board.keys('o');
    await board.waitScreen(new RegExp(`^editor not found: ${path.join(bin, 'missing-editor')} \\(from \\$EDITOR\\) *$`), 'the one-line refusal');
    board.keys('j');
    await board.waitScreen(/^>✓ done {6}ov2 ! /, 'keys still work');
    board.keys('q');
    await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
    expect(board.pane().exited).toBe(0);
  }, 120_000);

  it('redraws for a new terminal size, and gives the terminal back when it is killed', async () => {
    ok(['start', 'k1', 'k2', '--headless', '--agent', "sh -c 'exec sleep 600'"]);
    const board = openBoard(w.repo.root, w.fx.env, 100, 20);
    await board.waitScreen(/^>▶ running {3}k1 /, 'the board', 30_000);
    const tmux = (args: string[]) => spawnSync('tmux', ['-L', w.fx.env.SUPERSET_TMUX_SOCKET!, ...args], { encoding: 'utf8', env: testEnv(w.fx.env) });
    expect(board.screen().findIndex((l) => /^Enter attach · s send/.test(l))).toBe(18);
    tmux(['resize-window', '-t', 'board', '-x', '130', '-y', '30']);
    // the footer moves to the new last line but one, and nothing of the old frame is left
    await board.waitScreen((lines) => lines.findIndex((l) => /^Enter attach · s send/.test(l)) === 28, 'the footer at the new bottom');
    expect(board.screen().filter((l) => /^Enter attach · s send/.test(l))).toHaveLength(1);
    expect(board.screen().filter((l) => /^git superset board · 2 tasks/.test(l))).toHaveLength(1);
    const shell = tmux(['display-message', '-p', '-t', 'board', '#{pane_pid}']).stdout.trim();
    const pid = Number(spawnSync('pgrep', ['-P', shell], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
    process.kill(pid, 'SIGTERM');
    await waitFor(() => board.pane().exited !== null, 10_000, 'the board to exit');
    expect(board.pane()).toEqual({ exited: 143, alternate: false, cursor: true });
    expect(lsJson(w.repo, w.fx.env).map((t) => t.status)).toEqual(['running', 'running']);
  }, 60_000);

  it('refuses to run without a terminal', () => {
    const res = cli(w.repo.root, ['board'], w.fx.env);
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: 'git superset: board needs a terminal (use git superset ls --json in scripts)\n' });
  });
});
