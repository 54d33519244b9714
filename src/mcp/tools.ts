import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { errorLine } from '../errors.js';
import { openWorkspace, type Workspace } from '../context.js';
import { listTasks, taskStatus } from '../ops/list.js';
import { startTasks } from '../ops/start.js';
import { stopTasks } from '../ops/stop.js';
import { taskOutput } from '../ops/output.js';
import { waitForTasks } from '../ops/wait.js';
import { ensureWatcher } from '../watch/daemon-control.js';

export interface ToolEnv {
  cwd: string;
  /** The task whose agent runs this server, if any: tasks it starts are its sub-tasks. */
  parent?: string;
  log: (line: string) => void;
}

/** Loose object: tasks and events carry more fields than a model needs described. */
const record = z.record(z.string(), z.unknown());
const taskName = z.string().min(1).max(64).describe('task name: letters, digits, ".", "_", "-"');

type Structured = Record<string, unknown>;

/**
 * Every tool is a call into the same ops the CLI commands use, with the same validation. An
 * expected failure (bad name, unknown task or agent...) becomes a tool error with the CLI's one
 * line; the server itself never fails a call.
 */
export function registerTools(server: McpServer, env: ToolEnv): void {
  const workspace = (): Promise<Workspace> =>
    openWorkspace({ cwd: env.cwd, out: (t) => env.log(t.trimEnd()), err: (t) => env.log(t.trimEnd()), isTTY: false });

  const tool = <S extends z.ZodRawShape>(
    name: string,
    spec: { title: string; description: string; input: S; output: z.ZodRawShape; readOnly?: boolean; destructive?: boolean; idempotent?: boolean },
    fn: (args: z.infer<z.ZodObject<S>>, ws: Workspace, signal: AbortSignal) => Promise<{ data: Structured; text: string }>,
  ): void => {
    server.registerTool(
      name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.input,
        outputSchema: spec.output,
        annotations: {
          title: spec.title,
          readOnlyHint: Boolean(spec.readOnly),
          destructiveHint: Boolean(spec.destructive),
          idempotentHint: Boolean(spec.idempotent ?? spec.readOnly),
          openWorldHint: false,
        },
      },
      (async (args: z.infer<z.ZodObject<S>>, extra: { signal: AbortSignal }) => {
        try {
          const { data, text } = await fn(args, await workspace(), extra.signal);
          return { content: [{ type: 'text' as const, text }], structuredContent: data };
        } catch (e) {
          return { content: [{ type: 'text' as const, text: errorLine(e) }], isError: true };
        }
      }) as never,
    );
  };

  tool(
    'start_task',
    {
      title: 'Start a task',
      description:
        'Start a coding agent on a new task: creates branch superset/<name> from the base, a git worktree of its own, and launches the agent there with the prompt. ' +
        'Returns at once; use wait_for_tasks to block until it ends, task_log to read its output, task_diff to review. ' +
        'Starting an existing stopped/ended task relaunches its agent in the same worktree.',
      input: {
        name: taskName,
        prompt: z.string().optional().describe('what the agent should do (passed as one argument)'),
        agent: z.string().optional().describe('agent preset (claude, codex, gemini, opencode, ...) or a command line; default from config'),
        agents: z.array(z.string()).optional().describe('best-of-N: start the task once per agent, as <name>-<agent>'),
        base: z.string().optional().describe("ref the branch starts from (default: the main worktree's HEAD)"),
        headless: z.boolean().optional().describe('run detached with a log file (default: true here: no terminal to attach)'),
      },
      output: { started: z.array(record), failed: z.array(z.object({ name: z.string(), error: z.string() })), warnings: z.array(z.string()) },
    },
    async (args, ws, signal) => {
      const res = await startTasks(ws, {
        names: [args.name],
        prompt: args.prompt,
        agent: args.agent,
        agents: args.agents,
        base: args.base,
        runner: args.headless === false ? 'tmux' : 'headless',
        cwd: env.cwd,
        signal,
        parent: env.parent,
      });
      if (res.started.length) ensureWatcher(ws.repo);
      if (res.started.length === 0 && res.failed.length) throw res.failed[0]!.error;
      const failed = res.failed.map((f) => ({ name: f.name, error: errorLine(f.error) }));
      for (const w of res.warnings) env.log(`git superset: warning: ${w}`);
      const text = [
        ...res.started.map((t) => `${t.relaunched ? 'relaunched' : 'started'} ${t.name} on ${t.branch} in ${t.worktree}`),
        ...failed.map((f) => `${f.name}: ${f.error}`),
      ].join('\n');
      return { data: { started: res.started as unknown as Structured[], failed, warnings: res.warnings }, text: [text, ...res.warnings.map((w) => `warning: ${w}`)].filter(Boolean).join('\n') };
    },
  );

  tool(
    'list_tasks',
    {
      title: 'List tasks',
      description:
        'Every task of this repository with its status (waiting, running, idle, starting, finishing, failed, done, stopped), agent, branch, commits ahead of its base, changed files and worktree: the same data as `git superset ls --json`. Tasks waiting for input come first.',
      input: {},
      output: { tasks: z.array(record) },
      readOnly: true,
    },
    async (_args, ws) => {
      const tasks = await listTasks(ws);
      const text = tasks.length ? tasks.map((t) => `${t.name}: ${t.status}${t.ahead ? `, ${t.ahead} ahead` : ''}`).join('\n') : 'no tasks';
      return { data: { tasks: tasks as unknown as Structured[] }, text };
    },
  );

  tool(
    'task_status',
    {
      title: 'Task status',
      description: "One task's status and its most recent events (started, commit, exited, stopped...) from the git notes record.",
      input: { name: taskName, events: z.number().int().min(1).max(500).optional().describe('how many recent events (default 20)') },
      output: { task: record, events: z.array(record) },
      readOnly: true,
    },
    async (args, ws) => {
      const res = await taskStatus(ws, args.name, args.events ?? 20);
      const text = `${res.task.name}: ${res.task.status}\n${res.events.map((e) => `${e.t} ${e.event}`).join('\n')}`.trimEnd();
      return { data: { task: res.task as unknown as Structured, events: res.events as unknown as Structured[] }, text };
    },
  );

  tool(
    'task_log',
    {
      title: "Task's output",
      description: "The last lines the task's agent printed: its live terminal screen while it runs in tmux, else its log file.",
      input: { name: taskName, lines: z.number().int().min(1).max(5000).optional().describe('how many lines from the end (default 50)') },
      output: { task: z.string(), source: z.string(), lines: z.array(z.string()), omitted: z.number() },
      readOnly: true,
    },
    async (args, ws) => {
      const res = await taskOutput(ws, args.name, args.lines ?? 50);
      return { data: res as unknown as Structured, text: res.lines.join('\n') || '(no output yet)' };
    },
  );

  tool(
    'wait_for_tasks',
    {
      title: 'Wait for tasks',
      description:
        'Block until every named task has left starting/running/finishing (it is done, failed, stopped, idle, or waiting for input), or until the timeout. ' +
        'Reports each task\'s status, so there is no need to poll list_tasks.',
      input: {
        names: z.array(taskName).min(1).describe('tasks to wait for'),
        timeoutSeconds: z.number().min(0).max(3600).optional().describe('give up after this long (default 600)'),
      },
      output: { settled: z.boolean(), timedOut: z.boolean(), tasks: z.array(record) },
      readOnly: true,
    },
    async (args, ws, signal) => {
      const res = await waitForTasks(ws, { names: args.names, timeoutMs: 1000 * (args.timeoutSeconds ?? 600), signal });
      const text = `${res.timedOut ? 'timed out' : 'settled'}: ${res.tasks.map((t) => `${t.name} ${t.status}${t.exitCode !== null ? ` (${t.exitCode})` : ''}`).join(', ')}`;
      return { data: res as unknown as Structured, text };
    },
  );

  tool(
    'stop_task',
    {
      title: 'Stop tasks',
      description: "Stop the named tasks' agents (SIGTERM, then SIGKILL after the stop timeout). Worktrees and branches are kept; start_task relaunches.",
      input: { names: z.array(taskName).min(1) },
      output: { results: z.array(record) },
      destructive: true,
      idempotent: true,
    },
    async (args, ws) => {
      const results = await stopTasks(ws, { names: args.names });
      const text = results.map((r) => (r.stopped ? `stopped ${r.name}` : `${r.name} is not running (${r.status})`)).join('\n');
      return { data: { results: results as unknown as Structured[] }, text };
    },
  );
}
