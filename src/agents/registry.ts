import path from 'node:path';
import { withFlags } from './command-line.js';
import type { Agent, AgentPreset, HookTarget } from './agent.js';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { gemini } from './gemini.js';
import { opencode } from './opencode.js';
import { aider } from './aider.js';
import { amp } from './amp.js';
import { cursorAgent } from './cursor-agent.js';
import { copilot } from './copilot.js';

/**
 * Every agent we know, one module each. The rest of the code asks here — by preset name for the
 * launch forms, by the binary of the argv about to run for the wiring (so a config agent or a
 * command line that runs `claude` gets Claude's hooks too) — and never compares binary names itself.
 */
export const AGENTS: readonly Agent[] = [claude, codex, gemini, opencode, aider, amp, cursorAgent, copilot];

/** Launch forms by preset name. */
export const PRESETS: Record<string, AgentPreset> = Object.fromEntries(AGENTS.map((a) => [a.name, a.preset]));

/** The agent whose CLI `argv` runs, by its binary's base name (the binary may be a path). */
export function agentOf(argv: readonly string[]): Agent | undefined {
  const binary = path.basename(argv[0] ?? '');
  return AGENTS.find((a) => a.preset.binary === binary);
}

/** The argv with the agent's command-line wiring (status hooks, MCP servers) inserted after the binary; unchanged for others. */
export function withAgentHooks(argv: readonly string[], t: HookTarget): string[] {
  const flags = agentOf(argv)?.wiring.flags?.(t);
  return flags ? withFlags(argv, flags) : [...argv];
}

/** The environment the agent's wiring needs (gemini, opencode: files under .git/superset/hooks); {} for others. */
export function agentHookEnv(argv: readonly string[], t: HookTarget, env: Record<string, string | undefined>): Record<string, string> {
  return agentOf(argv)?.wiring.env?.(t, env) ?? {};
}

/** Whether the agent can be handed config `mcpServers` (others get a warning at start). */
export const takesMcpServers = (argv: readonly string[]): boolean => (agentOf(argv)?.wiring.mcp ?? 'none') !== 'none';
