import { Option, type Command } from 'commander';
import { BatchFailed, UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { startTasks, type StartedTask } from '../ops/start.js';
import * as msg from '../messages.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

interface StartOptions {
  agent?: string;
  agents?: string;
  prompt?: string;
  promptFile?: string;
  base?: string;
  branch?: string;
  from?: string;
  after?: string[];
  headless?: boolean;
  tmux?: boolean;
  yolo?: boolean;
  maxRunning?: number;
  json?: boolean;
}

/** `--max-running N`: a whole number >= 1, else one line (exit 2) before anything is made. */
export function parseMaxRunning(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(msg.start.badMaxRunning(value));
  return n;
}

export function define(cmd: Command): void {
  cmd
    .argument('[tasks...]', 'task names (letters, digits, ".", "_", "-"; at most 64)')
    .option('-a, --agent <agent>', 'preset (claude, codex, gemini, opencode, aider, amp, cursor-agent, copilot) or a command line')
    .option('--agents <list>', 'best-of-N: start each task once per agent, as <task>-<agent>')
    .addOption(new Option('-p, --prompt <prompt>', 'the prompt, passed to the agent as one argument').conflicts('promptFile'))
    .option('--prompt-file <file>', 'read the prompt from a file (at most 128 KiB: it is passed as one argument)')
    .option('--base <ref>', "ref new branches start from (default: the main worktree's HEAD)")
    .option('--branch <branch>', 'adopt this existing branch as the task (one task only)')
    .option('--from <file>', 'read tasks from a file: "name: prompt" lines or "## name" headings')
    .option('--after <tasks>', 'wait until these tasks are done, then start from their work (repeatable, or a,b)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--headless', 'run detached with output to a log file').conflicts('tmux'))
    .option('--tmux', 'run in a tmux session you can attach to (default when tmux is installed)')
    .option('--yolo', "let the agent skip its permission prompts (the preset's bypass flag); off by default")
    .option('--max-running <n>', 'run at most N agents at once (over config maxRunning): the rest are queued and start as slots free', parseMaxRunning)
    .option('--json', 'print the started (and queued) tasks as JSON')
    .addHelpText(
      'after',
      `
Interactive (tmux) runs use the agent's interactive form; --headless uses its headless form,
which for claude, codex and gemini accepts file edits in the worktree but not other commands.

examples:
  git superset start fix-login --agent claude --prompt "Fix the login redirect"
  git superset start a b c --agent "my-agent --fast"
  git superset start --from tasks.md --headless
  git superset start parser --agents claude,codex --prompt "Rewrite the parser"
  git superset start --from tasks.md --max-running 3     # 3 at a time, the rest queued
  git superset start client --after api --prompt "Write the client for the new API"`,
    );
}

const describe = (t: StartedTask): string => `${msg.start.started(t)}\n`;

export async function run(ctx: Ctx, names: string[], opts: StartOptions): Promise<number> {
  const ws = await openWorkspace(ctx);
  // Interrupting start ends the batch: tasks not yet started are not, the started ones keep running.
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  // ora loads only on a terminal, where a batch gets a spinner; piped output gets plain lines.
  const ora = ctx.isTTY && !opts.json ? (await import('ora')).default : null;
  const progress = new Progress(ctx, ora, Boolean(opts.json));
  try {
    const res = await startTasks(ws, {
      names,
      agent: opts.agent,
      agents: opts.agents ? opts.agents.split(',').map((a) => a.trim()).filter(Boolean) : undefined,
      prompt: opts.prompt,
      promptFile: opts.promptFile,
      base: opts.base,
      branch: opts.branch,
      from: opts.from,
      after: opts.after,
      runner: opts.headless ? 'headless' : opts.tmux ? 'tmux' : 'auto',
      yolo: opts.yolo,
      maxRunning: opts.maxRunning,
      cwd: ctx.cwd,
      signal: abort.signal,
      // set in every agent's environment: a start run by an agent makes sub-tasks of its task
      parent: process.env.SUPERSET_TASK || undefined,
      onPlanned: (total) => progress.plan(total),
      // the watcher launches the queue: up while the first tasks launch, so none of their slots idles
      onQueued: () => ensureWatcherFor(ws.repo, [{ status: 'queued' }]),
      onStarted: (t) => progress.tick(t),
      onSetup: (task, command) => progress.setup(task, command),
    });
    progress.done();
    for (const w of res.warnings) ctx.err(msg.line(msg.warning(w)));
    if (res.recordError) ctx.err(msg.line(msg.record.failed('the started events', res.recordError.message.split('\n')[0] ?? '')));
    // One watcher per repository records activity, idle agents and snapshots, and launches the queue.
    // (queued tasks too: the watcher is what launches them)
    ensureWatcherFor(ws.repo);
    if (opts.json) ctx.out(json([...res.started.map(({ relaunched, ...t }) => ({ ...t, relaunched })), ...res.queued]));
    else for (const q of res.queued) ctx.out(`${msg.waiting.line(q)}\n`);
    if (res.total === 1 && res.failed.length === 1) throw res.failed[0]!.error;
    if (res.failed.length) {
      const batch = new BatchFailed(res.failed);
      // Partly failed: what started runs, each failure is a line of its own, exit 1.
      if ((res.started.length || res.queued.length) && !res.aborted) throw batch;
      for (const l of batch.lines()) ctx.err(msg.line(l));
    }
    if (res.aborted) return 130;
    return res.failed.length ? (res.failed.every((f) => f.error instanceof UserError) ? 2 : 1) : 0;
  } finally {
    progress.done();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/** A spinner on a terminal for a batch; a line per task otherwise. */
class Progress {
  private spinner: import('ora').Ora | null = null;
  private count = 0;
  private total = 0;
  constructor(
    private readonly ctx: Ctx,
    private readonly ora: typeof import('ora').default | null,
    private readonly quiet: boolean,
  ) {}

  plan(total: number): void {
    this.total = total;
    if (this.ora && total > 1) this.spinner = this.ora(msg.start.starting(total)).start();
  }

  tick(t: StartedTask): void {
    this.count++;
    if (this.spinner) this.spinner.text = msg.start.progress(this.count, this.total, t.name);
    else if (!this.quiet) this.ctx.out(describe(t));
  }

  /** config setup: the spinner says which command runs; piped output gets a line each. */
  setup(task: string, command: string): void {
    if (this.quiet) return;
    if (this.ora && !this.spinner) this.spinner = this.ora().start();
    if (this.spinner) this.spinner.text = msg.start.setup(task, command);
    else this.ctx.out(`${msg.start.setup(task, command)}\n`);
  }

  done(): void {
    if (!this.spinner?.isSpinning) return;
    if (this.total <= 1) {
      this.spinner.stop();
      return;
    }
    if (this.count === this.total) this.spinner.succeed(msg.start.progress(this.count, this.total));
    else this.spinner.warn(msg.start.progress(this.count, this.total));
  }
}
