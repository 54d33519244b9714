import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { SupersetConfig } from '../config/schema.js';
import { PRESETS } from './registry.js';
import type { AgentPreset } from './agent.js';
import { splitCommandLine, withFlags, withPrompt } from './command-line.js';
import * as msg from '../messages.js';

/** Own keys only: `--agent toString` or `constructor` is a command, never Object.prototype's function. */
const presetNamed = (name: string): AgentPreset | undefined => (Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined);

export type RunMode = 'interactive' | 'headless';

export interface LaunchRequest {
  agent: string;
  mode: RunMode;
  prompt?: string;
  yolo: boolean;
  resume: boolean;
}

/** Turns config-level agent definitions into the preset shape, so there is one code path. */
function presetFromConfig(name: string, config: SupersetConfig): AgentPreset | undefined {
  const def = Object.hasOwn(config.agents, name) ? config.agents[name] : undefined;
  if (!def) return presetNamed(name);
  const interactive = splitCommandLine(def.command);
  if (interactive.length === 0) throw new UserError(msg.agent.emptyConfigCommand(name));
  return {
    binary: interactive[0]!,
    interactive,
    headless: def.headless ? splitCommandLine(def.headless) : interactive,
    resume: def.resume ? splitCommandLine(def.resume) : undefined,
    yolo: def.yolo ? splitCommandLine(def.yolo) : [],
    checked: 'config',
  };
}

/** The agent's argv for this launch: a preset or config agent by name, else a command line. */
export function agentArgv(req: LaunchRequest, config: SupersetConfig): string[] {
  const preset = presetFromConfig(req.agent, config);
  if (!preset) {
    const words = splitCommandLine(req.agent);
    if (words.length === 0) throw new UserError(msg.agent.empty);
    return withPrompt(words, req.prompt);
  }
  if (preset.interactiveNoPrompt && req.mode === 'interactive' && req.prompt) {
    throw new UserError(msg.agent.noInteractivePrompt(req.agent));
  }
  let form = req.mode === 'headless' ? preset.headless : preset.interactive;
  if (req.resume) form = (req.mode === 'headless' ? preset.resumeHeadless : preset.resume) ?? form;
  return withPrompt(withFlags(form, req.yolo ? preset.yolo : []), req.prompt);
}

/** Whether the agent has a form that continues its last conversation (what `send` to an ended task needs). */
export function hasResumeForm(agent: string, config: SupersetConfig, mode: RunMode): boolean {
  const preset = presetFromConfig(agent, config);
  return Boolean(preset && (mode === 'headless' ? preset.resumeHeadless : preset.resume));
}

/** A short name for the agent, used in `ls` and in best-of-N task names. */
export function agentLabel(agent: string): string {
  if (presetNamed(agent) || !/\s/.test(agent)) return path.basename(agent);
  const first = splitCommandLine(agent)[0] ?? agent;
  return path.basename(first);
}

/** Finds an executable the way execvp would, so a missing agent is caught before anything is made. */
export function findExecutable(binary: string, envPath = process.env.PATH ?? '', cwd = process.cwd()): string | null {
  const candidates = binary.includes('/') ? [path.resolve(cwd, binary)] : envPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, binary));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/**
 * Fails before anything is created when the agent cannot be run. A binary given as a path is made
 * absolute against the caller's directory, since the agent itself runs in the task's worktree.
 */
export function resolveAgentBinary(argv: readonly string[], agent: string, cwd: string): string[] {
  const binary = argv[0]!;
  const found = findExecutable(binary, process.env.PATH ?? '', cwd);
  if (!found) {
    const hint = presetNamed(agent) ? ` (install the ${agent} CLI, or pick another with --agent)` : '';
    throw new UserError(msg.agent.binaryNotFound(binary, hint));
  }
  return binary.includes('/') ? [found, ...argv.slice(1)] : [...argv];
}
