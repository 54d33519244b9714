import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { cli, cliAsync, waitFor } from '../support/cli.js';
import { argvAgent, lsJson, trustConfig, useAgentRepo, worktreesDir } from './_agents.js';

let repo: TestRepo;
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => ({ repo, env } = fx));

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** The config committed, and trusted as its user would after reading it (setup, run... run commands). */
const configure = (config: object): void => {
  repo.commit('.supersetrc.json', JSON.stringify(config) + '\n', 'superset config');
  trustConfig(repo.root, env);
};
const wt = (name: string): string => path.join(worktreesDir(repo), name);
const ok = (args: string[], extra: Record<string, string> = {}) => {
  const res = cli(repo.root, args, { ...env, ...extra });
  expect(res.code, res.stderr).toBe(0);
  return res;
};

describe('ports', () => {
  it('5 tasks started together get 10 distinct named ports, in their environment', async () => {
    configure({ ports: ['web', 'api'] });
    const agent = argvAgent(repo);
    const names = ['a', 'b', 'c', 'd', 'e'];
    ok(['start', ...names, '--headless', '--agent', agent.bin]);
    const envs = await Promise.all(names.map((n) => waitFor(() => agent.env(n), 10_000, `${n}'s env`)));
    const ports = envs.flatMap((e) => [e.SUPERSET_PORT_WEB, e.SUPERSET_PORT_API]).map(Number);
    expect(new Set(ports).size).toBe(10);
    for (const e of envs) expect(e.PORT).toBe(e.SUPERSET_PORT_WEB);
    const rows = lsJson(repo, env) as unknown as { name: string; ports: Record<string, number> }[];
    expect(rows.find((r) => r.name === 'a')!.ports).toEqual({ web: Number(envs[0]!.SUPERSET_PORT_WEB), api: Number(envs[0]!.SUPERSET_PORT_API) });
  });

  it('20 concurrent starts with ports: 1 get 20 distinct ports; rm gives them back', async () => {
    configure({ ports: 1 });
    const names = Array.from({ length: 20 }, (_, i) => `p${i}`);
    // no watcher: 20 tasks of it would still be writing under .git/superset when the repo is removed
    const quiet = { ...env, SUPERSET_WATCH: '0' };
    const results = await Promise.all(names.map((n) => cliAsync(repo.root, ['start', n, '--headless', '--agent', 'sleep 30'], quiet)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(cli(repo.root, ['ports', '--json'], quiet).stdout) as { task: string; port: number; url: string }[];
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.port)).size).toBe(20);
    expect(rows.find((r) => r.task === 'p3')!.url).toBe('http://p3.localhost:7777/');
    ok(['rm', '--force', 'p0'], { SUPERSET_WATCH: '0' });
    const after = JSON.parse(cli(repo.root, ['ports', '--json'], quiet).stdout) as { task: string }[];
    expect(after.map((r) => r.task)).not.toContain('p0');
  }, 180_000);
});

describe('files and setup', () => {
  it('copies .env and .worktreeinclude files, links a cache, runs setup before the agent; teardown runs on rm', async () => {
    repo.commit('.gitignore', '.env\n.env.*\nsecrets/\ncache/\n', 'ignore');
    repo.commit('.worktreeinclude', 'secrets/\n', 'worktree include');
    repo.write('.env', 'TOKEN=1\n');
    repo.write('.env.local', 'LOCAL=1\n');
    repo.write('secrets/key.txt', 'k\n');
    repo.write('cache/big.bin', 'x');
    const mark = path.join(repo.dir, 'teardown-ran');
    configure({
      copy: ['.env', '.env.*', 'missing.txt'],
      link: ['cache'],
      setup: ['echo "setup saw $SUPERSET_TASK" > setup.out', 'test -f .env'],
      teardown: `echo "$SUPERSET_TASK" > ${JSON.stringify(mark)}`,
    });
    const agent = argvAgent(repo);
    const started = ok(['start', 't', '--headless', '--agent', `sh -c 'test -f setup.out && echo ok > agent.out; exec ${agent.bin}'`]);
    // piped: a line per setup command, before the started line
    expect(started.stdout.split('\n').slice(0, 3)).toEqual(['t: setup: echo "setup saw $SUPERSET_TASK" > setup.out', 't: setup: test -f .env', expect.stringMatching(/^started t /)]);
    await waitFor(() => agent.env('t'), 10_000, 'the agent');
    expect(fs.readFileSync(path.join(wt('t'), '.env'), 'utf8')).toBe('TOKEN=1\n');
    expect(fs.readFileSync(path.join(wt('t'), '.env.local'), 'utf8')).toBe('LOCAL=1\n');
    expect(fs.readFileSync(path.join(wt('t'), 'secrets/key.txt'), 'utf8')).toBe('k\n');
    expect(fs.lstatSync(path.join(wt('t'), 'cache')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(wt('t'), 'setup.out'), 'utf8')).toBe('setup saw t\n');
    await waitFor(() => fs.existsSync(path.join(wt('t'), 'agent.out')), 10_000, 'the agent to see setup.out');
    ok(['rm', '--force', 't']);
    expect(fs.readFileSync(mark, 'utf8')).toBe('t\n');
  });

  it('a failing setup: non-zero exit with the command and its output, a failed task, the worktree kept', () => {
    configure({ setup: ['echo preparing', 'echo "no such tool" >&2; exit 3'] });
    const res = cli(repo.root, ['start', 'bad', '--headless', '--agent', 'sleep 30'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^git superset: setup failed: "echo \\"no such tool\\" >&2; exit 3" exited 3; last output:$/m);
    expect(res.stderr).toContain('no such tool');
    const row = lsJson(repo, env).find((t) => t.name === 'bad') as unknown as { status: string; reason: string };
    expect(row.status).toBe('failed');
    expect(row.reason).toMatch(/^setup failed/);
    expect(fs.existsSync(wt('bad'))).toBe(true);
  });

  it('refuses a copy pattern that reaches outside the repository, and makes nothing', () => {
    configure({ copy: ['../outside.txt'] });
    const res = cli(repo.root, ['start', 'x', '--headless', '--agent', 'sleep 30'], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd()).toBe('git superset: config copy: pattern "../outside.txt" reaches outside the repository (\'..\')');
    expect(fs.existsSync(wt('x'))).toBe(false);
    expect(repo.git('branch', '--list', 'superset/x')).toBe('');
  });
});

const SERVER = `node -e 'require("http").createServer((q,s)=>s.end("hello from "+process.env.SUPERSET_TASK)).listen(process.env.PORT,"127.0.0.1")'`;
const WS_SERVER = `node -e 'const {WebSocketServer}=require(${JSON.stringify(require_ws())});const w=new WebSocketServer({port:+process.env.PORT,host:"127.0.0.1"});w.on("connection",c=>c.on("message",m=>c.send("echo:"+m)))'`;
function require_ws(): string {
  return path.dirname(new URL(import.meta.resolve('ws')).pathname);
}

async function startProxy(): Promise<number> {
  const child = spawn(process.execPath, [BIN, 'proxy', '--port', '0'], { cwd: repo.root, env: testEnv(env) });
  children.push(child);
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const m = await waitFor(() => /proxy on http:\/\/127\.0\.0\.1:(\d+)/.exec(err), 10_000, 'the proxy');
  return Number(m[1]);
}

const get = (port: number, host: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });

describe('run and proxy', () => {
  it('run starts a dev server on $PORT; the proxy answers for <task>.localhost, and says when nothing listens', async () => {
    configure({ ports: 1, run: SERVER });
    ok(['start', 'web', 'idle', '--headless', '--agent', 'sleep 30']);
    ok(['run', 'web']);
    const port = await startProxy();
    const res = await waitFor(async () => {
      const r = await get(port, `web.localhost:${port}`).catch(() => null);
      return r?.status === 200 ? r : null;
    }, 10_000, 'the dev server through the proxy');
    expect(res.body).toBe('hello from web');
    const idle = await get(port, `idle.localhost:${port}`);
    expect(idle.status).toBe(502);
    expect(idle.body).toMatch(/Nothing listens on port port \(\d+\) of task idle/);
    const unknown = await get(port, `nope.localhost:${port}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('No task named nope');
    expect(unknown.body).toContain('web.localhost');
    expect(JSON.parse(cli(repo.root, ['ports', '--json'], env).stdout).find((r: { task: string }) => r.task === 'web').listening).toBe(true);
    expect(cli(repo.root, ['logs', 'web', '--run'], env).stdout).toContain('── run:');
    // stop ends the dev server too
    ok(['stop', 'web']);
    await waitFor(async () => (await get(port, `web.localhost:${port}`).catch(() => null))?.status === 502, 10_000, 'the dev server to stop');
  });

  it('a WebSocket echo goes through the proxy', async () => {
    configure({ ports: 1, run: WS_SERVER });
    ok(['start', 'sock', '--headless', '--agent', 'sleep 30']);
    ok(['run', 'sock']);
    const port = await startProxy();
    const reply = await waitFor(
      () =>
        new Promise<string | null>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: `sock.localhost:${port}` } });
          ws.on('open', () => ws.send('ping'));
          ws.on('message', (m) => (resolve(m.toString()), ws.close()));
          ws.on('error', () => resolve(null));
        }),
      10_000,
      'a WebSocket echo',
    );
    expect(reply).toBe('echo:ping');
  });
});

describe('path and open', () => {
  it('path prints the worktree; open launches the given editor with it', async () => {
    ok(['start', 'ed', '--headless', '--agent', 'sleep 30']);
    expect(ok(['path', 'ed']).stdout).toBe(`${wt('ed')}\n`);
    const out = path.join(repo.dir, 'editor-args');
    const editor = path.join(repo.dir, 'my-editor');
    fs.writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}'\n`, { mode: 0o755 });
    ok(['open', 'ed', '--editor', `${editor} --new-window`]);
    await waitFor(() => fs.existsSync(out), 5_000, 'the editor');
    expect(fs.readFileSync(out, 'utf8')).toBe(`--new-window\n${wt('ed')}\n`);
  });

  it('an unknown editor or task is one clear line', () => {
    ok(['start', 'ed2', '--headless', '--agent', 'sleep 30']);
    const res = cli(repo.root, ['open', 'ed2', '--editor', 'no-such-editor-xyz'], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd()).toBe('git superset: editor not found: no-such-editor-xyz (from --editor)');
    expect(cli(repo.root, ['path', 'nope'], env).stderr.trimEnd()).toBe('git superset: no such task: nope (see git superset ls)');
  });
});
