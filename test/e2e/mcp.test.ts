import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { cli } from '../support/cli.js';
import { useAgentRepo } from './_agents.js';

let repo: TestRepo;
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => ({ repo, env } = fx));

async function connect(cwd: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    cwd,
    env: testEnv(env) as Record<string, string>,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const client = new Client({ name: 'test-lead', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };
const call = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> =>
  (await client.callTool({ name, arguments: args })) as ToolResult;
const text = (r: ToolResult): string => r.content.map((c) => c.text ?? '').join('\n');

const COMMIT_AGENT = `sh -c 'echo "$SUPERSET_PROMPT" > hello.txt && git add hello.txt && git commit -qm "say hello" && echo did it'`;

describe('git superset mcp', () => {
  it('lists tools, each with a description, an input and an output schema and annotations', async () => {
    const { client } = await connect(repo.root);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      for (const n of ['start_task', 'list_tasks', 'task_status', 'task_diff', 'task_log', 'send_message', 'wait_for_tasks', 'stop_task', 'conflicts', 'merge_task', 'remove_task']) expect(names).toContain(n);
      for (const t of tools) {
        expect(t.description!.length).toBeGreaterThan(40);
        expect(t.inputSchema.type).toBe('object');
        expect(t.outputSchema?.type).toBe('object');
        expect(t.annotations).toBeDefined();
      }
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      expect(byName.list_tasks!.annotations!.readOnlyHint).toBe(true);
      expect(byName.stop_task!.annotations!.destructiveHint).toBe(true);
      expect(byName.remove_task!.annotations!.destructiveHint).toBe(true);
      expect(byName.merge_task!.annotations!.destructiveHint).toBe(true);
      expect(byName.task_diff!.annotations!.readOnlyHint).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('start_task with maxRunning queues a task past the limit; stop_task takes it out of the queue', async () => {
    const { client } = await connect(repo.root);
    try {
      const a = await call(client, 'start_task', { name: 'a', agent: 'sleep 30', maxRunning: 1 });
      expect((a.structuredContent!.started as { name: string }[]).map((t) => t.name)).toEqual(['a']);
      const b = await call(client, 'start_task', { name: 'b', agent: 'sleep 30', maxRunning: 1 });
      expect(b.isError, text(b)).toBeFalsy();
      expect(b.structuredContent!.started).toEqual([]);
      expect((b.structuredContent!.queued as { name: string; status: string; queuePosition: number }[]).map((t) => [t.name, t.status, t.queuePosition])).toEqual([['b', 'queued', 1]]);
      expect(text(b)).toBe('queued b (position 1): it starts when a slot frees');
      // a queued task is still to run: waiting for it waits
      const waited = await call(client, 'wait_for_tasks', { names: ['b'], timeoutSeconds: 1 });
      expect(waited.structuredContent).toMatchObject({ timedOut: true, tasks: [{ name: 'b', status: 'queued' }] });
      const bad = await call(client, 'start_task', { name: 'c', agent: 'sleep 30', maxRunning: 0 });
      expect(bad.isError).toBe(true);
      // b first: once a ends, its slot would go to b
      for (const name of ['b', 'a']) {
        const stopped = await call(client, 'stop_task', { names: [name] });
        expect(stopped.isError, text(stopped)).toBeFalsy();
      }
      const list = (await call(client, 'list_tasks')).structuredContent!.tasks as { name: string; status: string; worktree: string | null }[];
      expect(list.map((t) => [t.name, t.status])).toEqual([['a', 'stopped'], ['b', 'stopped']]);
      expect(list.find((t) => t.name === 'b')!.worktree).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('start_task with after: the task waits for its prerequisite, then starts from its work; an unknown one is refused', async () => {
    const { client } = await connect(repo.root);
    const gate = path.join(repo.dir, 'gate-a');
    try {
      await call(client, 'start_task', { name: 'a', agent: `sh -c 'while [ ! -e ${gate} ]; do sleep 0.1; done; echo a > a.txt'` });
      const b = await call(client, 'start_task', { name: 'b', after: ['a'], agent: `sh -c 'ls > seen.txt'` });
      expect(b.isError, text(b)).toBeFalsy();
      expect(text(b)).toBe('queued b: it starts when a is done, from its work');
      expect((b.structuredContent!.queued as { name: string; after: string[] }[]).map((t) => [t.name, t.after])).toEqual([['b', ['a']]]);
      const bad = await call(client, 'start_task', { name: 'c', after: ['nope'], agent: 'true' });
      expect([bad.isError, text(bad)]).toEqual([true, 'git superset: c is after nope, which is not a task (start nope too, or in the same batch)']);
      fs.writeFileSync(gate, '');
      const waited = await call(client, 'wait_for_tasks', { names: ['b'], timeoutSeconds: 30 });
      expect(waited.isError, text(waited)).toBeFalsy();
      expect(repo.git('show', 'superset/b:seen.txt').split('\n')).toContain('a.txt');
    } finally {
      await client.close();
    }
  });

  it('starts a task, waits for it, sees it done, reads its log; the CLI sees the same task', async () => {
    const { client } = await connect(repo.root);
    try {
      const started = await call(client, 'start_task', { name: 'hello', prompt: 'hi there', agent: COMMIT_AGENT });
      expect(started.isError, text(started)).toBeFalsy();
      expect((started.structuredContent!.started as { name: string }[])[0]!.name).toBe('hello');

      const waited = await call(client, 'wait_for_tasks', { names: ['hello'], timeoutSeconds: 30 });
      expect(waited.isError, text(waited)).toBeFalsy();
      expect(waited.structuredContent!.timedOut).toBe(false);
      expect((waited.structuredContent!.tasks as { status: string }[])[0]!.status).toBe('done');

      const list = await call(client, 'list_tasks');
      const tasks = list.structuredContent!.tasks as { name: string; status: string; ahead: number }[];
      expect(tasks.map((t) => [t.name, t.status])).toEqual([['hello', 'done']]);
      expect(tasks[0]!.ahead).toBe(1);

      const log = await call(client, 'task_log', { name: 'hello', lines: 5 });
      expect(text(log)).toContain('did it');

      const diff = await call(client, 'task_diff', { name: 'hello' });
      expect(diff.isError, text(diff)).toBeFalsy();
      expect(diff.structuredContent!.committed).toMatch(/hello\.txt \| 1 \+/);
      const patch = await call(client, 'task_diff', { name: 'hello', full: true });
      expect(patch.structuredContent!.committed).toContain('+hi there');

      const clash = await call(client, 'conflicts');
      expect(clash.isError, text(clash)).toBeFalsy();
      expect(clash.structuredContent!.conflicts).toEqual([]);

      const status = await call(client, 'task_status', { name: 'hello' });
      expect((status.structuredContent!.events as { event: string }[]).map((e) => e.event)).toContain('started');

      const ls = JSON.parse(cli(repo.root, ['ls', '--json'], env).stdout) as { name: string }[] | { tasks: { name: string }[] };
      const lsNames = (Array.isArray(ls) ? ls : ls.tasks).map((t) => t.name);
      expect(lsNames).toEqual(['hello']);
      expect(fs.readFileSync(path.join(repo.dir, 'repo.worktrees', 'hello', 'hello.txt'), 'utf8')).toBe('hi there\n');

      // remove refuses to lose the unmerged commit, as rm does; merge then takes it into main
      const refused = await call(client, 'remove_task', { names: ['hello'] });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toBe(cli(repo.root, ['rm', 'hello'], env).stderr.trimEnd());
      const merged = await call(client, 'merge_task', { names: ['hello'] });
      expect(merged.isError, text(merged)).toBeFalsy();
      expect(text(merged)).toBe('merged hello into main');
      expect(repo.git('show', 'main:hello.txt')).toBe('hi there');
      expect(((await call(client, 'list_tasks')).structuredContent!.tasks as unknown[]).length).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('answers a bad name, an unknown task and an unknown agent with a tool error, and keeps serving', async () => {
    const { client } = await connect(repo.root);
    try {
      const bad = await call(client, 'start_task', { name: '../evil', agent: COMMIT_AGENT });
      expect(bad.isError).toBe(true);
      expect(text(bad)).toMatch(/^git superset: invalid task name "\.\.\/evil"/);
      expect(text(bad).split('\n')).toHaveLength(1);

      const missing = await call(client, 'task_status', { name: 'nope' });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toBe(cli(repo.root, ['logs', 'nope'], env).stderr.trimEnd());

      const agent = await call(client, 'start_task', { name: 'x', agent: 'no-such-agent-binary' });
      expect(agent.isError).toBe(true);
      expect(text(agent)).toMatch(/no-such-agent-binary/);
      expect(fs.existsSync(path.join(repo.dir, 'repo.worktrees', 'x'))).toBe(false);

      const list = await call(client, 'list_tasks');
      expect(list.isError).toBeFalsy();
      expect(list.structuredContent!.tasks).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('works from inside a task worktree, scoped to the same repository', async () => {
    expect(cli(repo.root, ['start', 'inner', '--headless', '--agent', 'sleep 30'], env).code).toBe(0);
    const { client } = await connect(path.join(repo.dir, 'repo.worktrees', 'inner'));
    try {
      const list = await call(client, 'list_tasks');
      expect((list.structuredContent!.tasks as { name: string }[]).map((t) => t.name)).toEqual(['inner']);
      const stopped = await call(client, 'stop_task', { names: ['inner'] });
      expect(stopped.isError, text(stopped)).toBeFalsy();
      expect(text(stopped)).toBe('stopped inner');
    } finally {
      await client.close();
    }
  });

  it('send_message types into a running tmux agent, verbatim', async () => {
    const out = path.join(repo.dir, 'heard');
    const agent = `sh -c 'read line; printf "%s" "$line" > ${JSON.stringify(out)}; sleep 30'`;
    expect(cli(repo.root, ['start', 'listener', '--tmux', '--agent', agent], env).code).toBe(0);
    const { client } = await connect(repo.root);
    try {
      const msg = 'rebase onto main; then "fix" $(echo a.txt)';
      const sent = await call(client, 'send_message', { name: 'listener', message: msg });
      expect(sent.isError, text(sent)).toBeFalsy();
      const deadline = Date.now() + 10_000;
      while (!fs.existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(fs.readFileSync(out, 'utf8')).toBe(msg);
      const removed = await call(client, 'remove_task', { names: ['listener'] });
      expect(removed.isError).toBe(true);
      expect(text(removed)).toMatch(/stop it first/);
    } finally {
      await client.close();
    }
  });

  it('writes nothing but JSON-RPC messages to stdout', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp'], { cwd: repo.root, env: testEnv(env) });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const send = (msg: unknown) => child.stdin.write(JSON.stringify(msg) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_tasks', arguments: {} } });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'task_log', arguments: { name: 'nope' } } });
    const deadline = Date.now() + 15_000;
    while (out.split('\n').filter(Boolean).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe('2.0');
    // answers may come in any order: find the one for id 3
    const third = lines.map((l) => JSON.parse(l) as { id: number; result: { isError?: boolean } }).find((m) => m.id === 3);
    expect(third!.result.isError).toBe(true);
    expect(code).toBe(0);
  });

  it('outside a repository: one line, non-zero exit, no protocol', () => {
    const res = cli(repo.dir, ['mcp']);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
