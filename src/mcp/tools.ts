import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { BatchFailed, UserError, errorLine } from '../errors.js';
import { openWorkspace, type Workspace } from '../context.js';
import { listTasks, taskStatus } from '../ops/list.js';
import { startTasks } from '../ops/start.js';
import { stopTasks } from '../ops/stop.js';
import { taskOutput } from '../ops/output.js';
import { waitForTasks } from '../ops/wait.js';
import { taskDiff } from '../ops/diff.js';
import { sendMessage } from '../ops/send.js';
import { mergeTasks } from '../ops/merge.js';
import { findConflicts } from '../ops/conflicts.js';
import { removeTasks } from '../ops/remove.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

/** A full patch over MCP is cut here, with a note: a model's context is not a pager. */
const DIFF_CAP = 100_000;

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
          const ws = await workspace();
          // Once per call, after it (a started or resumed task counts): cheap when the watcher runs.
          const { data, text } = await fn(args, ws, extra.signal).finally(() => ensureWatcherFor(ws.repo));
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
        'Starting an existing stopped/ended task relaunches its agent in the same worktree. ' +
        'With maxRunning (or config maxRunning), a task past the limit is queued (no branch yet) and the watcher starts it when a slot frees; starting a queued task starts it now.',
      input: {
        name: taskName,
        prompt: z.string().optional().describe('what the agent should do (passed as one argument)'),
        agent: z.string().optional().describe('agent preset (claude, codex, gemini, opencode, ...) or a command line; default from config'),
        agents: z.array(z.string()).optional().describe('best-of-N: start the task once per agent, as <name>-<agent>'),
        base: z.string().optional().describe("ref the branch starts from (default: the main worktree's HEAD)"),
        after: z.array(taskName).optional().describe('prerequisite tasks: this one waits (queued) until they are all done, then starts from their branches (merged when several); blocked if one fails or they conflict'),
        headless: z.boolean().optional().describe('run detached with a log file (default: true here: no terminal to attach)'),
        maxRunning: z.number().int().min(1).optional().describe('at most this many agents at once (over config maxRunning): past it the task is queued'),
      },
      output: { started: z.array(record), queued: z.array(record), failed: z.array(z.object({ name: z.string(), error: z.string() })), warnings: z.array(z.string()) },
    },
    async (args, ws, signal) => {
      const res = await startTasks(ws, {
        names: [args.name],
        prompt: args.prompt,
        agent: args.agent,
        agents: args.agents,
        base: args.base,
        after: args.after,
        runner: args.headless === false ? 'tmux' : 'headless',
        maxRunning: args.maxRunning,
        cwd: env.cwd,
        signal,
        parent: env.parent,
      });
      if (res.started.length === 0 && res.queued.length === 0 && res.failed.length) throw res.failed[0]!.error;
      const failed = res.failed.map((f) => ({ name: f.name, error: errorLine(f.error) }));
      for (const w of res.warnings) env.log(msg.line(msg.warning(w)).trimEnd());
      const text = [
        ...res.started.map((t) => msg.mcp.started(t)),
        ...res.queued.map((t) => (t.status === 'blocked' || t.after?.length ? msg.waiting.line(t) : msg.mcp.queued(t.name, t.queuePosition))),
        ...failed.map((f) => msg.mcp.taskFailed(f.name, f.error)),
      ].join('\n');
      return { data: { started: res.started as unknown as Structured[], queued: res.queued as unknown as Structured[], failed, warnings: res.warnings }, text: [text, ...res.warnings.map((w) => msg.warning(w))].filter(Boolean).join('\n') };
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
      const text = tasks.length ? tasks.map((t) => msg.mcp.taskLine(t.name, t.status, t.ahead)).join('\n') : msg.mcp.noTasks;
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
      const text = msg.mcp.taskStatus(res.task.name, res.task.status, res.events);
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
      return { data: res as unknown as Structured, text: res.lines.join('\n') || msg.mcp.noOutput };
    },
  );

  tool(
    'wait_for_tasks',
    {
      title: 'Wait for tasks',
      description:
        'Block until every named task has left queued/starting/running/finishing (it is done, failed, stopped, blocked, idle, or waiting for input), or until the timeout. ' +
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
      const text = msg.mcp.waited(res.timedOut, res.tasks);
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
      const text = results.map((r) => (r.error ? msg.mcp.taskFailed(r.name, r.error) : r.stopped ? msg.mcp.stopped(r.name) : msg.stop.notRunning(r.name, r.status))).join('\n');
      return { data: { results: results as unknown as Structured[] }, text };
    },
  );

  tool(
    'task_diff',
    {
      title: "Task's changes",
      description:
        "What the task changed against its base: the branch's commits (base...branch) and, separately, what is still uncommitted in its worktree. " +
        'A --stat summary by default; full: true for the patch (cut at maxBytes, with a note).',
      input: {
        name: taskName,
        full: z.boolean().optional().describe('the whole patch instead of the stat'),
        committed: z.boolean().optional().describe("only the branch's commits"),
        maxBytes: z.number().int().min(1000).max(1_000_000).optional().describe(`cap for the patch (default ${DIFF_CAP})`),
      },
      output: { task: z.string(), committed: z.string(), uncommitted: z.string().nullable(), untracked: z.array(z.string()), truncated: z.boolean() },
      readOnly: true,
    },
    async (args, ws) => {
      const res = await taskDiff(ws, { task: args.name, args: args.full ? [] : ['--stat'], committed: args.committed });
      const cap = args.maxBytes ?? DIFF_CAP;
      let truncated = false;
      const cut = (text: string): string => {
        if (text.length <= cap) return text;
        truncated = true;
        return `${text.slice(0, cap)}\n${msg.mcp.diffCut(cap, text.length)}\n`;
      };
      const committed = cut(res.committed.output);
      const uncommitted = res.uncommitted ? cut(res.uncommitted.output) : null;
      const untracked = res.uncommitted?.untracked ?? [];
      const text = msg.mcp.diff({ range: res.committed.range, committed, uncommitted, untracked });
      return { data: { task: args.name, committed, uncommitted, untracked, truncated }, text };
    },
  );

  tool(
    'send_message',
    {
      title: 'Send a message to an agent',
      description:
        "Redirect a task's agent: a running interactive (tmux) agent gets the message typed into its terminal, then Enter; an ended task whose agent can resume " +
        '(claude, codex, opencode, gemini) runs one more headless turn with the message in the same worktree.',
      input: { name: taskName, message: z.string().min(1).describe('literal text; nothing in it is interpreted') },
      output: { task: z.string(), how: z.string() },
    },
    async (args, ws) => {
      const res = await sendMessage(ws, { task: args.name, message: args.message, cwd: env.cwd, warn: (t) => env.log(t.trimEnd()) });
      return { data: res as unknown as Structured, text: res.how === 'typed' ? msg.mcp.typed(res.task) : msg.mcp.resumed(res.task) };
    },
  );

  tool(
    'conflicts',
    {
      title: 'Predict conflicts',
      description:
        'Which unmerged task branches will conflict with each other or with the current base, and in which files, computed without touching any worktree, index or ref. ' +
        'Use before merging, or to redirect one of two agents editing the same files.',
      input: { names: z.array(taskName).optional().describe('only pairs involving these tasks (default: all)') },
      output: { conflicts: z.array(record), tasks: z.number(), merges: z.number() },
      readOnly: true,
    },
    async (args, ws, signal) => {
      const res = await findConflicts(ws, { tasks: args.names, signal });
      const text = res.conflicts.length ? res.conflicts.map((c) => msg.mcp.conflict(c.a, c.b, c.files)).join('\n') : msg.mcp.noConflicts(res.tasks);
      return { data: res as unknown as Structured, text };
    },
  );

  tool(
    'merge_task',
    {
      title: 'Merge tasks',
      description:
        'Merge the named tasks into their base, one after another: refused while the main worktree is dirty or an agent runs; with config test set, each merge is tested in a temporary worktree first and the base moves only when it passes. ' +
        'A conflict or a failing test changes nothing and stops the list. On success the task is cleaned up (worktree, branch) unless keep.',
      input: {
        names: z.array(taskName).min(1),
        strategy: z.enum(['merge', 'squash', 'rebase', 'ff-only']).optional(),
        keep: z.boolean().optional().describe('keep worktree and branch after merging'),
        test: z.boolean().optional().describe('run config test first (default true)'),
      },
      output: { outcomes: z.array(record) },
      destructive: true,
    },
    async (args, ws, signal) => {
      const res = await mergeTasks(ws, { tasks: args.names, strategy: args.strategy, keep: args.keep, test: args.test, signal, warn: (t) => env.log(t.trimEnd()) });
      const text = res.outcomes
        .map((o) =>
          o.result === 'merged' ? msg.mcp.merged(o.task, o.target) : o.result === 'conflict' ? msg.mcp.mergeConflict(o.task, o.files) : o.result === 'test-failed' ? msg.mcp.mergeTestFailed(o.task, o.test.exitCode) : msg.mcp.mergeSkipped(o.task, o.reason),
        )
        .join('\n');
      if (res.outcomes.length && res.outcomes.every((o) => o.result !== 'merged')) throw new UserError(text.split('\n')[0]!);
      return { data: res as unknown as Structured, text };
    },
  );

  tool(
    'remove_task',
    {
      title: 'Remove tasks',
      description:
        "Remove tasks' worktrees, branches and runtime state. Refused, with what would be lost, when a task still runs or has uncommitted files or commits not in its base, unless force.",
      input: { names: z.array(taskName).min(1), force: z.boolean().optional().describe('discard running agents, uncommitted work and unmerged commits') },
      output: { removed: z.array(record), refused: z.array(record), failed: z.array(z.object({ name: z.string(), message: z.string() })).optional() },
      destructive: true,
    },
    async (args, ws) => {
      const res = await removeTasks(ws, { names: args.names, force: args.force });
      if (res.refused.length) throw new UserError(res.refused.map((r) => r.message).join(`\n${msg.PREFIX} `));
      const failed = res.teardownFailed.filter((t) => !t.forced);
      if (failed.length) throw new BatchFailed(failed.map((f) => ({ name: f.name, error: f.message })));
      const text = [...res.removed.map((r) => msg.mcp.removed(r.name)), ...res.failed.map((f) => msg.mcp.taskFailed(f.name, f.message))].join('\n');
      return { data: { removed: res.removed as unknown as Structured[], refused: [], failed: res.failed }, text };
    },
  );
}
