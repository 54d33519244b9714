import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { alive, argvAgent, branches, created, lsJson, NOTHING, useAgentRepo, worktreesDir } from './_agents.js';
import { readPidFile } from './_watch.js';

// Dependencies between tasks (`start b --after a`, `(after: a)` in a --from file). The refusals:
// a cycle or an unknown prerequisite creates nothing at all.
const fx = useAgentRepo();

/** Everything start could have made, git's refs and notes included. */
function everything(repo: typeof fx.repo) {
  return { ...created(repo), refs: repo.git('for-each-ref', '--format=%(refname)').split('\n').filter((r) => !r.startsWith('refs/heads/main')), superset: fs.existsSync(path.join(repo.root, '.git', 'superset', 'tasks')) };
}
const NONE = { ...NOTHING, refs: [], superset: false };

describe('start --after: refused before anything is made', () => {
  it('a cycle in a --from file: one line naming it, exit 2, nothing created', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    fs.writeFileSync(path.join(repo.dir, 'tasks.md'), '## a\nafter: c\nthe api\n\n## b\nafter: a\nthe client\n\n## c\nafter: b\nthe docs\n');
    const res = cli(repo.root, ['start', '--from', path.join(repo.dir, 'tasks.md'), '--agent', agent.bin, '--headless'], env);
    expect(res.stderr).toBe('git superset: dependency cycle: a -> b -> c -> a\n');
    expect(res.code).toBe(2);
    expect(everything(repo)).toEqual(NONE);
    expect(repo.git('notes', '--ref', 'superset', 'list')).toBe('');
  });

  it('a cycle in line form', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    fs.writeFileSync(path.join(repo.dir, 'tasks.txt'), 'a: one (after: b)\nb: two (after: a)\n');
    const res = cli(repo.root, ['start', '--from', path.join(repo.dir, 'tasks.txt'), '--agent', agent.bin, '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: dependency cycle: a -> b -> a\n']);
    expect(everything(repo)).toEqual(NONE);
  });

  it('an unknown prerequisite, and a task after itself', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    let res = cli(repo.root, ['start', 'b', '--after', 'nope', '--agent', agent.bin, '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: b is after nope, which is not a task (start nope too, or in the same batch)\n']);
    res = cli(repo.root, ['start', 'a', 'b', '--after', 'a', '--agent', agent.bin, '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: a cannot run after itself\n']);
    // the graph is the mistake to fix first, whatever agent the task names
    res = cli(repo.root, ['start', 'b', '--after', 'nope', '--agent', 'no-such-agent-cli', '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: b is after nope, which is not a task (start nope too, or in the same batch)\n']);
    expect(everything(repo)).toEqual(NONE);
  });

  it('a prerequisite name that is no task name', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    const res = cli(repo.root, ['start', 'b', '--after', 'ok,../x', '--agent', agent.bin, '--headless'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: invalid prerequisite "../x": a task name that contains a slash\n');
    expect(everything(repo)).toEqual(NONE);
  });
});

/** `sh -c` agent: waits for `gate` (a file outside the repo) when given, then runs `script` in its worktree. */
function agentCmd(script: string, gate?: string): string {
  const wait = gate ? `while [ ! -e ${gate} ]; do sleep 0.1; done; ` : '';
  return `sh -c '${wait}${script}'`;
}

interface GraphRow {
  name: string;
  status: string;
  after?: string[];
  blockedReason?: string | null;
  reason: string | null;
  commit: string | null;
  worktree: string | null;
  pid: number | null;
}

const rows = (repo: typeof fx.repo, env: Record<string, string>): GraphRow[] => lsJson(repo, env) as unknown as GraphRow[];
const row = (repo: typeof fx.repo, env: Record<string, string>, name: string) => rows(repo, env).find((t) => t.name === name);

async function waitStatus(name: string, status: string, timeout = 60_000): Promise<GraphRow> {
  const { repo, env } = fx;
  return waitFor(() => {
    const t = row(repo, env, name);
    return t?.status === status ? t : undefined;
  }, timeout, `${name} to be ${status}`);
}

function start(args: string[]): void {
  const res = cli(fx.repo.root, ['start', '--headless', ...args], fx.env);
  if (res.code !== 0) throw new Error(`start ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
}

const isAncestor = (repo: typeof fx.repo, a: string, b: string) => {
  try {
    repo.git('merge-base', '--is-ancestor', a, b);
    return true;
  } catch {
    return false;
  }
};

describe('a -> b -> c', { timeout: 180_000 }, () => {
  it('b waits for a and starts from its work; c starts only once b is done', async () => {
    const { repo, env } = fx;
    const gate = (n: string) => path.join(repo.dir, `gate-${n}`);
    start(['a', '--agent', agentCmd('echo a > a.txt', gate('a'))]);
    start(['b', '--after', 'a', '--agent', agentCmd('ls > seen-by-b.txt; echo b > b.txt', gate('b'))]);
    start(['c', '--after', 'b', '--agent', agentCmd('ls > seen-by-c.txt')]);
    let t = rows(repo, env);
    expect(t.find((x) => x.name === 'b')).toMatchObject({ status: 'queued', after: ['a'], worktree: null });
    expect(t.find((x) => x.name === 'c')).toMatchObject({ status: 'queued', after: ['b'], worktree: null });
    // nothing made for the waiting ones yet
    expect(branches(repo)).toEqual(['main', 'superset/a']);
    expect(cli(repo.root, ['ls'], { ...env, COLUMNS: '120' }).stdout).toMatch(/^b\s.*queued \(after a\)/m);

    fs.writeFileSync(gate('a'), '');
    await waitStatus('b', 'running');
    const aTip = row(repo, env, 'a')!.commit!;
    expect(row(repo, env, 'c')!.status).toBe('queued');
    fs.writeFileSync(gate('b'), '');
    const c = await waitStatus('c', 'done');
    const b = row(repo, env, 'b')!;
    expect(b.status).toBe('done');
    // b's branch contains a's commit, c's contains b's; each saw its prerequisites' files
    expect(isAncestor(repo, aTip, 'superset/b')).toBe(true);
    expect(isAncestor(repo, b.commit!, 'superset/c')).toBe(true);
    expect(repo.git('show', 'superset/b:seen-by-b.txt').split('\n')).toContain('a.txt');
    expect(repo.git('show', 'superset/c:seen-by-c.txt').split('\n')).toEqual(expect.arrayContaining(['a.txt', 'b.txt']));
    expect(c.commit).not.toBeNull();
    // a chain shares its files by construction: no overlap warning between its tasks
    expect((lsJson(repo, env) as unknown as { overlaps: unknown[] }[]).every((x) => x.overlaps.length === 0)).toBe(true);
    // the dependency is in the notes: plain git shows it
    expect(repo.git('notes', '--ref', 'superset', 'show', 'refs/superset/tasks/c')).toMatch(/"event":"queued".*"after":\["b"\]/);
  });

  it('a failing blocks b and c, each with the reason; start b after fixing a retries it', async () => {
    const { repo, env } = fx;
    env.SUPERSET_WATCH_LINGER_SECONDS = '1';
    start(['a', '--agent', agentCmd('exit 3')]);
    start(['b', '--after', 'a', '--agent', agentCmd('echo b > b.txt')]);
    start(['c', '--after', 'b', '--agent', agentCmd('echo c > c.txt')]);
    const watcher = readPidFile(repo);
    const b = await waitStatus('b', 'blocked');
    expect(b.blockedReason).toBe('a failed');
    expect((await waitStatus('c', 'blocked')).blockedReason).toBe('b is blocked');
    // blocked tasks wait for the user, not for the watcher: it leaves
    await waitFor(() => !watcher || !alive(watcher), 20_000, 'the watcher to leave');
    expect(cli(repo.root, ['ls'], env).code).toBe(0);
    expect(readPidFile(repo)).toBeNull();
    expect(branches(repo)).toEqual(['main', 'superset/a']);
    // in the notes, with the reason
    expect(cli(repo.root, ['log', 'b'], env).stdout).toMatch(/queued \(after a\)[^\n]*\n.*blocked: a failed/);

    // still blocked while a is failed: a retry gives the same reason
    start(['b']);
    expect(row(repo, env, 'b')).toMatchObject({ status: 'blocked', blockedReason: 'a failed' });
    // fix a (a relaunch that succeeds), then retry b and c
    start(['a', '--agent', agentCmd('echo fixed > a.txt')]);
    await waitStatus('a', 'done');
    // c was blocked only because b was: retrying b retries c with it
    start(['b']);
    await waitStatus('c', 'done');
    expect(isAncestor(repo, 'superset/a', 'superset/c')).toBe(true);
  });

  it('.git/superset deleted: ls rebuilds the waiting and blocked tasks, with their prerequisites and reason, from git', async () => {
    const { repo, env } = fx;
    const gate = path.join(repo.dir, 'gate');
    start(['a', '--agent', agentCmd('exit 1')]);
    start(['b', '--after', 'a', '--agent', agentCmd('true')]);
    start(['x', '--agent', agentCmd('echo x > x.txt', gate)]);
    start(['y', '--after', 'x', '--agent', agentCmd('ls > seen.txt')]);
    await waitStatus('b', 'blocked');
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 5000, 'the watcher to die');
    fs.rmSync(path.join(repo.root, '.git', 'superset'), { recursive: true, force: true });
    expect(row(repo, env, 'b')).toMatchObject({ status: 'blocked', after: ['a'], blockedReason: 'a failed', worktree: null });
    expect(row(repo, env, 'y')).toMatchObject({ status: 'queued', after: ['x'], worktree: null });
    // and y still starts once x is done (x's record is gone: its branch and notes say how it ended)
    fs.writeFileSync(gate, '');
    await waitStatus('y', 'done');
    expect(repo.git('show', 'superset/y:seen.txt').split('\n')).toContain('x.txt');
  });

  it('--after on a task that already ran is refused before anything is written', async () => {
    const { repo, env } = fx;
    start(['a', '--agent', agentCmd('true')]);
    start(['b', '--agent', agentCmd('true')]);
    await waitStatus('b', 'done');
    const before = everything(repo);
    const res = cli(repo.root, ['start', 'b', '--after', 'a', '--headless', '--agent', agentCmd('true')], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: b has started already: --after is for a new task, or one still waiting (git superset rm b first to start it anew)\n']);
    expect(everything(repo)).toEqual(before);
  });
});

describe('a prerequisite merged and cleaned up', { timeout: 180_000 }, () => {
  it('counts as done: the dependent starts from the merge commit', async () => {
    const { repo, env } = fx;
    const gate = path.join(repo.dir, 'gate');
    start(['a', '--agent', agentCmd('echo a > a.txt')]);
    start(['x', '--agent', agentCmd('echo x > x.txt', gate)]);
    start(['b', '--after', 'a,x', '--agent', agentCmd('ls > seen.txt')]);
    await waitStatus('a', 'done');
    const merged = cli(repo.root, ['merge', 'a'], env);
    expect(merged.code, merged.stderr).toBe(0);
    expect(branches(repo)).not.toContain('superset/a');
    expect(row(repo, env, 'b')!.status).toBe('queued');
    fs.writeFileSync(gate, '');
    await waitStatus('b', 'done');
    expect(repo.git('show', 'superset/b:seen.txt').split('\n')).toEqual(expect.arrayContaining(['a.txt', 'x.txt']));
    expect(isAncestor(repo, 'main', 'superset/b')).toBe(true);
  });
});

describe('two prerequisites', { timeout: 180_000 }, () => {
  it('clean: the dependent starts from a merge of both tips', async () => {
    const { repo } = fx;
    start(['a', '--agent', agentCmd('echo a > a.txt')]);
    start(['c', '--agent', agentCmd('echo c > c.txt')]);
    await waitStatus('a', 'done');
    await waitStatus('c', 'done');
    start(['d', '--after', 'a,c', '--agent', agentCmd('ls > seen.txt')]);
    await waitStatus('d', 'done');
    expect(repo.git('show', 'superset/d:seen.txt').split('\n')).toEqual(expect.arrayContaining(['a.txt', 'c.txt']));
    expect(isAncestor(repo, 'superset/a', 'superset/d') && isAncestor(repo, 'superset/c', 'superset/d')).toBe(true);
  });

  it('conflicting: the dependent is blocked with the file named, nothing made for it', async () => {
    const { repo } = fx;
    start(['a', '--agent', agentCmd('echo from-a > shared.txt')]);
    start(['c', '--agent', agentCmd('echo from-c > shared.txt')]);
    await waitStatus('a', 'done');
    await waitStatus('c', 'done');
    start(['d', '--after', 'a', '--after', 'c', '--agent', agentCmd('true')]);
    const d = await waitStatus('d', 'blocked');
    expect(d.blockedReason).toBe('a and c conflict in shared.txt');
    expect(branches(repo)).toEqual(['main', 'superset/a', 'superset/c']);
    expect(fs.existsSync(path.join(worktreesDir(repo), 'd'))).toBe(false);
  });
});
