import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { agentArgv, agentLabel, resolveAgentBinary } from '../agents/resolve.js';
import { listWorktrees } from '../git/worktrees.js';
import { pickRunner, type RunnerName } from '../runner/launch.js';
import { findExecutable } from '../agents/resolve.js';
import { initRepo } from '../task/init.js';
import { assertTaskName } from '../task/name.js';
import { duplicateNames, fanOut, parseTaskFile } from '../task/task-file.js';
import { resolveBase, startTask, type StartSpec } from '../task/start-task.js';
import { TaskStore } from '../task/store.js';
import type { TaskState } from '../task/state.js';
import { runPool } from '../task/pool.js';
import { bestEffort, recordStarted } from '../task/events.js';
import { ensureWatcher } from '../watch/daemon-control.js';

interface StartOptions {
  agent?: string;
  agents?: string;
  prompt?: string;
  base?: string;
  branch?: string;
  from?: string;
  headless?: boolean;
  tmux?: boolean;
  yolo?: boolean;
  json?: boolean;
}

export function define(cmd: Command): void {
  cmd
    .argument('[tasks...]', 'task names (letters, digits, ".", "_", "-"; at most 64)')
    .option('-a, --agent <agent>', 'preset (claude, codex, gemini, opencode, aider, amp, cursor-agent, copilot) or a command line')
    .option('--agents <list>', 'best-of-N: start each task once per agent, as <task>-<agent>')
    .option('-p, --prompt <prompt>', 'the prompt, passed to the agent as one argument')
    .option('--base <ref>', "ref new branches start from (default: the main worktree's HEAD)")
    .option('--branch <branch>', 'adopt this existing branch as the task (one task only)')
    .option('--from <file>', 'read tasks from a file: "name: prompt" lines or "## name" headings')
    .addOption(new Option('--headless', 'run detached with output to a log file').conflicts('tmux'))
    .option('--tmux', 'run in a tmux session you can attach to (default when tmux is installed)')
    .option('--yolo', "let the agent skip its permission prompts (the preset's bypass flag); off by default")
    .option('--json', 'print the started tasks as JSON')
    .addHelpText(
      'after',
      `
Interactive (tmux) runs use the agent's interactive form; --headless uses its headless form,
which for claude, codex and gemini accepts file edits in the worktree but not other commands.

examples:
  git superset start fix-login --agent claude --prompt "Fix the login redirect"
  git superset start a b c --agent "my-agent --fast"
  git superset start --from tasks.md --headless
  git superset start parser --agents claude,codex --prompt "Rewrite the parser"`,
    );
}

function specsFrom(ctx: Ctx, names: string[], opts: StartOptions, defaultAgent: string): Omit<StartSpec, 'runner' | 'yolo'>[] {
  let specs: { name: string; prompt?: string; agent?: string }[] = names.map((name) => ({ name, prompt: opts.prompt }));
  if (opts.from) {
    const file = path.resolve(ctx.cwd, opts.from);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new UserError(`cannot read tasks file: ${opts.from}`);
    }
    specs.push(...parseTaskFile(text, opts.from));
  }
  if (specs.length === 0) throw new UserError('name at least one task (git superset start <task>), or use --from FILE');
  if (opts.branch && specs.length !== 1) throw new UserError('--branch adopts one branch: name exactly one task');
  const agents = opts.agents ? opts.agents.split(',').map((a) => a.trim()).filter(Boolean) : [];
  specs = fanOut(specs, agents, agentLabel);
  // Every name is checked before any task is made: one bad name in a batch creates nothing.
  for (const s of specs) assertTaskName(s.name);
  const dups = duplicateNames(specs.map((s) => s.name));
  if (dups.length) throw new UserError(`task named twice: ${dups.join(', ')}`);
  return specs.map((s) => ({ name: s.name, prompt: s.prompt, agent: s.agent ?? opts.agent ?? defaultAgent, ...(opts.branch ? { branch: opts.branch } : {}) }));
}

function chooseRunner(opts: StartOptions, configured: 'auto' | RunnerName): RunnerName {
  const wanted = opts.headless ? 'headless' : opts.tmux ? 'tmux' : configured;
  if (wanted === 'tmux' && !findExecutable('tmux')) throw new UserError('tmux is not installed: install it, or use --headless');
  return pickRunner(wanted);
}

function describe(t: TaskState & { relaunched: boolean }): string {
  const how = t.runner === 'tmux' ? `attach: git superset attach ${t.name}` : `logs: git superset logs ${t.name}`;
  return `${t.relaunched ? 'relaunched' : 'started'} ${t.name} on ${t.branch} in ${t.worktree} (${how})\n`;
}

export async function run(ctx: Ctx, names: string[], opts: StartOptions): Promise<number> {
  const { repo, config } = await openWorkspace(ctx);
  const runner = chooseRunner(opts, config.runner);
  const specs = specsFrom(ctx, names, opts, config.agent).map((s) => ({ ...s, runner, yolo: Boolean(opts.yolo || config.yolo) }));
  // A missing agent fails the whole batch before any task is made, not after the others started.
  const mode = runner === 'tmux' ? 'interactive' : 'headless';
  for (const agent of new Set(specs.map((s) => s.agent))) {
    resolveAgentBinary(agentArgv({ agent, mode, yolo: false, resume: false }, config), agent, ctx.cwd);
  }
  await initRepo(repo);
  const store = new TaskStore(repo);
  const [base, worktrees] = await Promise.all([resolveBase(repo, opts.base ?? config.base), listWorktrees(repo.root)]);

  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const progress = await startProgress(ctx, specs.length, opts.json);
  try {
    const env = { repo, config, store, base, worktrees, cwd: ctx.cwd, signal: abort.signal };
    const results = await runPool(specs, Math.max(2, os.availableParallelism() * 2), async (spec) => {
      const started = await startTask(env, spec);
      progress.tick(started);
      return started;
    });
    progress.done();
    const ok = results.filter((r) => r.ok).map((r) => r.value!);
    // One notes commit for the batch; the agents already run, so a failure here only warns.
    await bestEffort('the started events', () => recordStarted(repo, ok), ctx.err);
    // One watcher per repository records activity, idle agents and snapshots for every task.
    if (ok.length) ensureWatcher(repo);
    const failed = results.filter((r) => !r.ok);
    if (opts.json) ctx.out(json(ok.map(({ relaunched, ...t }) => ({ ...t, relaunched }))));
    if (specs.length === 1 && failed.length === 1) throw failed[0]!.error;
    for (const f of failed) ctx.err(`git superset: ${f.item.name}: ${(f.error as Error).message}\n`);
    if (abort.signal.aborted) return 130;
    return failed.length ? (failed.every((f) => f.error instanceof UserError) ? 2 : 1) : 0;
  } finally {
    progress.done();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }

  async function startProgress(c: Ctx, total: number, quiet?: boolean) {
    let count = 0;
    if (c.isTTY && total > 1 && !quiet) {
      const { default: ora } = await import('ora');
      const spinner = ora(`starting ${total} tasks`).start();
      return {
        tick: (t: TaskState & { relaunched: boolean }) => {
          spinner.text = `started ${++count}/${total}: ${t.name}`;
        },
        done: () => spinner.isSpinning && (count === total ? spinner.succeed(`started ${count}/${total} tasks`) : spinner.warn(`started ${count}/${total} tasks`)),
      };
    }
    return { tick: (t: TaskState & { relaunched: boolean }) => !quiet && c.out(describe(t)), done: () => {} };
  }
}
