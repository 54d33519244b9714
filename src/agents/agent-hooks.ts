import fs from 'node:fs';
import path from 'node:path';
import { shWord, withFlags } from './command-line.js';
import { CLI_BIN } from '../package-files.js';
import { claudeAllowedTools, claudeMcpConfig, codexMcpFlags, type McpServerSpec } from './mcp-servers.js';

/**
 * Wires an agent's own hook system to `git superset signal`, so its status comes from the agent
 * rather than from its screen. Nothing of the user's is touched: Claude Code gets an extra
 * settings layer (`--settings <file under .git/superset/hooks>`), Codex a `-c notify=...`
 * override; both live only on the agent's command line.
 */

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

export const cliWords = (t: HookTarget): string[] => t.cli ?? [process.execPath, CLI_BIN];

// Claude Code runs hook commands with a POSIX shell: words are quoted with shWord.
export { shWord };

/** Pure: the hook command line that reports `status` for the task. */
export function signalCommand(t: HookTarget, status: string): string {
  return [...cliWords(t), 'signal', t.task, status].map(shWord).join(' ');
}

/** Pure: a shell command that runs `command` only while the task's record says `waiting`; always exits 0. */
export function whileWaiting(t: HookTarget, command: string): string {
  const record = path.join(t.stateDir, 'tasks', `${t.task}.json`);
  return `grep -q '"status": "waiting"' ${shWord(record)} 2>/dev/null && ${command}; exit 0`;
}

/** Pure: the Claude Code settings layer. Events: prompt submitted, needs the user, turn over, session over. */
export function claudeSettings(t: HookTarget): object {
  const hook = (status: string) => [{ type: 'command', command: signalCommand(t, status), timeout: 10 }];
  return {
    hooks: {
      UserPromptSubmit: [{ hooks: hook('running') }],
      // permission_prompt / elicitation_dialog need the user; idle_prompt only repeats what Stop said.
      Notification: [{ matcher: 'permission_prompt|elicitation_dialog', hooks: hook('waiting') }],
      PermissionRequest: [{ hooks: hook('waiting') }],
      // A granted permission lets the tool run, and PostToolUse follows: working again. It fires on
      // every tool call, so a grep of the task record decides first and Node starts only when waiting.
      PostToolUse: [{ hooks: [{ type: 'command', command: whileWaiting(t, signalCommand(t, 'running')), timeout: 10 }] }],
      Stop: [{ hooks: hook('idle') }],
      SessionEnd: [{ hooks: hook('done') }],
    },
  };
}

/** Pure: Codex's `notify` program as a TOML array for `-c notify=...` (JSON strings are TOML strings). */
export function codexNotify(t: HookTarget): string {
  // Codex calls it at the end of each turn, appending a JSON argument that `signal` ignores.
  return `notify=[${[...cliWords(t), 'signal', t.task, 'idle'].map((w) => JSON.stringify(w)).join(',')}]`;
}

export function claudeSettingsFile(t: HookTarget): string {
  return path.join(t.stateDir, 'hooks', `${t.task}.claude-settings.json`);
}

/**
 * The agent's argv with its status hooks wired in, writing the settings file Claude Code needs.
 * Agents without a documented hook system come back unchanged.
 */
export function withAgentHooks(argv: readonly string[], t: HookTarget): string[] {
  const binary = path.basename(argv[0] ?? '');
  const servers = t.mcpServers ?? {};
  const hasServers = Object.keys(servers).length > 0;
  if (binary === 'claude') {
    const file = claudeSettingsFile(t);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(claudeSettings(t), null, 2) + '\n');
    const flags = ['--settings', file];
    if (hasServers) {
      const mcpFile = claudeMcpConfigFile(t);
      fs.writeFileSync(mcpFile, JSON.stringify(claudeMcpConfig(servers), null, 2) + '\n');
      // both options take several values: each is followed by another option or `--`
      flags.push('--mcp-config', mcpFile);
      if (t.headless) flags.push('--allowedTools', ...claudeAllowedTools(servers));
    }
    return withFlags(argv, flags);
  }
  if (binary === 'codex') return withFlags(argv, ['-c', codexNotify(t), ...(hasServers ? codexMcpFlags(servers) : [])]);
  return [...argv];
}

export const claudeMcpConfigFile = (t: HookTarget): string => path.join(t.stateDir, 'hooks', `${t.task}.claude-mcp.json`);
