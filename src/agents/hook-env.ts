import path from 'node:path';
import type { HookTarget } from './agent-hooks.js';
import { geminiHookEnv } from './gemini-hooks.js';
import { opencodeHookEnv } from './opencode-hooks.js';

/**
 * The environment an agent needs for its own status hooks, for agents wired through their
 * environment rather than their command line (gemini, opencode). Writes what they load under
 * `.git/superset/hooks/`; `env` is the environment the agent would otherwise get.
 */
export function agentHookEnv(argv: readonly string[], t: HookTarget, env: Record<string, string | undefined>): Record<string, string> {
  const binary = path.basename(argv[0] ?? '');
  if (binary === 'gemini') return geminiHookEnv(t, env);
  if (binary === 'opencode') return opencodeHookEnv(t, env);
  return {};
}
