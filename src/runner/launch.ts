import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { agentHookEnv } from '../agents/registry.js';
import type { McpServerSpec } from '../agents/mcp-servers.js';
import { HOOK_GIT_VARS } from '../git/git.js';
import { findExecutable } from '../agents/resolve.js';
import { killDeadSession, newSession, sessionName } from './tmux.js';
import { writeLaunchHeader } from './launch-header.js';
import * as msg from '../messages.js';
import type { TaskStore } from '../task/store.js';
import { AGENT_RUN_SH, CLI_BIN } from '../package-files.js';


export type RunnerName = 'tmux' | 'headless';

export function pickRunner(wanted: 'auto' | RunnerName): RunnerName {
  if (wanted !== 'auto') return wanted;
  return findExecutable('tmux') ? 'tmux' : 'headless';
}

export interface AgentLaunch {
  task: string;
  branch: string;
  worktree: string;
  base: string;
  prompt?: string;
  argv: string[];
  runner: RunnerName;
  repoId: string;
  /** MCP servers for agents wired through their environment (gemini, opencode). */
  mcpServers?: Record<string, McpServerSpec>;
  /** The task's own variables: ports, config env. */
  extraEnv?: Record<string, string>;
  /** The agent as given (preset or command line), for the log's launch header. */
  agent?: string;
}

// Set by git or tmux for the process that launched us; wrong for an agent in another worktree.
const NOT_INHERITED = [...HOOK_GIT_VARS, 'TMUX', 'TMUX_PANE'];

/** The agent sees the environment of the `start` that launched it, plus what names its task. */
export function agentEnv(launch: AgentLaunch): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !NOT_INHERITED.includes(k)) env[k] = v;
  Object.assign(env, {
    SUPERSET_TASK: launch.task,
    SUPERSET_BRANCH: launch.branch,
    SUPERSET_WORKTREE: launch.worktree,
    SUPERSET_BASE: launch.base,
    SUPERSET_PROMPT: launch.prompt ?? '',
  });
  Object.assign(env, launch.extraEnv ?? {});
  return env;
}

export interface Launched {
  pid: number;
  tmuxSession?: string;
}

/** Read and removed by the wrapper as it starts the agent. */
export const argvFilePath = (store: TaskStore, task: string): string => path.join(store.dir, `${task}.argv`);

/**
 * The agent's argv and prompt as agent-run.sh reads them back: one field per line, "P" the prompt
 * (for $SUPERSET_PROMPT), "A" each argument, "+" continuing a field after a newline. Pure.
 */
export function encodeArgvFile(prompt: string, argv: readonly string[]): string {
  const field = (tag: string, value: string): string => `${tag}${value.split('\n').join('\n+')}\n`;
  return field('P', prompt) + argv.map((a) => field('A', a)).join('');
}

/**
 * Starts the agent under the exit-recording wrapper, in tmux (attachable) or detached with a log file.
 * The agent's argv and prompt go through a file the wrapper reads, never through tmux's command
 * line (a client message of a few KB: "command too long" for an 8 KB prompt) nor the environment.
 */
export function launchAgent(store: TaskStore, launch: AgentLaunch): Launched {
  store.ensureDirs();
  fs.rmSync(store.exitFile(launch.task), { force: true });
  const logFile = store.logFile(launch.task);
  writeLaunchHeader(logFile, launch.agent ?? launch.argv.join(' '));
  const argvFile = argvFilePath(store, launch.task);
  const wrapped = ['/bin/sh', AGENT_RUN_SH, store.exitFile(launch.task), process.execPath, CLI_BIN, launch.task, '--argv-file', argvFile];
  const base = agentEnv(launch);
  // Agents wired through their environment (the registry says which) get it here; files under .git/superset/hooks.
  const env = { ...base, ...agentHookEnv(launch.argv, { task: launch.task, stateDir: store.repo.stateDir, mcpServers: launch.mcpServers, headless: launch.runner === 'headless' }, base) };
  delete env.SUPERSET_PROMPT; // set by the wrapper from the file
  fs.writeFileSync(argvFile, encodeArgvFile(launch.prompt ?? '', launch.argv), { mode: 0o600 });
  try {
    if (launch.runner === 'tmux') {
      const session = sessionName(launch.repoId, launch.task);
      // A failed launch's pane is kept for reading (remain-on-exit): the task is not live, so it
      // goes. A session with a live pane is not ours to end: new-session then refuses it.
      killDeadSession(session);
      const pid = newSession({ session, cwd: launch.worktree, env, argv: wrapped, logFile, deadPaneText: msg.tmux.deadPane(launch.task) });
      return { pid, tmuxSession: session };
    }
    const log = fs.openSync(logFile, 'a');
    try {
      const child = spawn(wrapped[0]!, wrapped.slice(1), { cwd: launch.worktree, env, detached: true, stdio: ['ignore', log, log] });
      if (child.pid === undefined) throw new Error('could not start the agent wrapper');
      child.unref();
      return { pid: child.pid };
    } finally {
      fs.closeSync(log);
    }
  } catch (e) {
    fs.rmSync(argvFile, { force: true });
    throw e;
  }
}
