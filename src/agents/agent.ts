import path from 'node:path';
import { shWord } from './command-line.js';
import { CLI_BIN } from '../package-files.js';
import type { McpServerSpec } from './mcp-servers.js';

/**
 * What one agent module (src/agents/<name>.ts) exports: its preset launch forms and how it is
 * wired to us — its own status hooks calling `git superset signal`, and the config `mcpServers`
 * handed over in its own form. Nothing of the user's is touched: the wiring lives on the agent's
 * command line or in its environment, and in files under `.git/superset/hooks/`.
 * The registry (registry.ts) lists the modules; nothing else chooses by binary name.
 */

/**
 * Launch forms of an agent CLI. Each word list is an argv (never a shell string);
 * the word `{prompt}` is replaced by the prompt as one argument, or dropped when there is none;
 * `{prompt:-i}` is an option that takes the prompt as its value: `-i <prompt>`, or nothing without one;
 * `{prompt=--prompt}` is the one word `--prompt=<prompt>`. Every form keeps a prompt that starts
 * with `-` (a markdown list item) from being parsed as an option: `--` before `{prompt}`, or the
 * `=` form for CLIs that take the prompt as an option value (checked: gemini 0.61.0 and copilot
 * 1.0.102 reject `-p "- fix"` but accept `--prompt=- fix`).
 * `yolo` words are inserted after the binary only when the user opts in (--yolo / `yolo: true`).
 * `checked` names the package version whose --help these forms were checked against.
 */
export interface AgentPreset {
  binary: string;
  interactive: string[];
  headless: string[];
  /** Interactive form that continues the last conversation in the worktree (null: the CLI has none we trust; a relaunch starts afresh). */
  resume?: string[] | null;
  /** Headless form that continues the last conversation (null: none). */
  resumeHeadless?: string[] | null;
  yolo: string[];
  checked: string;
  /** The interactive form has no way to take a prompt (amp's TUI reads it from the keyboard). */
  interactiveNoPrompt?: boolean;
}

export interface HookTarget {
  task: string;
  /** `.git/superset` of the repository. */
  stateDir: string;
  /** The program and script that run our CLI (absolute, so PATH inside the agent does not matter). */
  cli?: string[];
  /** MCP servers to hand to the agent (config `mcpServers`, resolved). */
  mcpServers?: Record<string, McpServerSpec>;
  /** A headless run: nobody can approve a tool call, so handed-in servers' tools are allowed. */
  headless?: boolean;
}

/** Where a piece of wiring goes: words after the binary, the agent's environment, or nowhere (the agent has no such system). */
export type WiredBy = 'argv' | 'env' | 'none';

export interface AgentWiring {
  /** How the agent's status hooks reach it. */
  status: WiredBy;
  /** How config `mcpServers` reach it ('none': the agent runs without them, and start warns). */
  mcp: WiredBy;
  /** The words inserted after the binary (writing any file they name); for 'argv' wiring. */
  flags?(t: HookTarget): string[];
  /** The environment to add (writing what it points at); `env` is what the agent would otherwise get. For 'env' wiring. */
  env?(t: HookTarget, env: Record<string, string | undefined>): Record<string, string>;
}

export interface Agent {
  /** The preset name (`--agent <name>`). */
  name: string;
  preset: AgentPreset;
  wiring: AgentWiring;
}

/** For agents with no hook system and no MCP support. */
export const NO_WIRING: AgentWiring = { status: 'none', mcp: 'none' };

export const cliWords = (t: HookTarget): string[] => t.cli ?? [process.execPath, CLI_BIN];

export const hooksFile = (t: HookTarget, suffix: string): string => path.join(t.stateDir, 'hooks', `${t.task}.${suffix}`);

export const hasServers = (t: HookTarget): boolean => Object.keys(t.mcpServers ?? {}).length > 0;

/** Pure: the hook command line that reports `status` for the task (hooks run by a POSIX shell: words quoted). */
export function signalCommand(t: HookTarget, status: string): string {
  return [...cliWords(t), 'signal', t.task, status].map(shWord).join(' ');
}

/** Pure: a shell command that runs `command` only while the task's record says `waiting`; always exits 0. */
export function whileWaiting(t: HookTarget, command: string): string {
  const record = path.join(t.stateDir, 'tasks', `${t.task}.json`);
  return `grep -q '"status": "waiting"' ${shWord(record)} 2>/dev/null && ${command}; exit 0`;
}
