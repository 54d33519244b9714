import fs from 'node:fs';
import path from 'node:path';
import { hasServers, hooksFile, signalCommand, whileWaiting, type Agent, type HookTarget } from './agent.js';
import { isHttp, type McpServerSpec } from './mcp-servers.js';

/**
 * Claude Code. Status hooks: an extra settings layer (`--settings <file under .git/superset/hooks>`).
 * MCP servers: `--mcp-config <file>`; the model sees the tools as `mcp__<server>__<tool>`.
 */

/** Pure: the settings layer. Events: prompt submitted, needs the user, turn over, session over. */
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

/** Pure: the `--mcp-config` file. */
export function claudeMcpConfig(servers: Record<string, McpServerSpec>): object {
  const mcpServers: Record<string, object> = {};
  for (const [name, s] of Object.entries(servers)) {
    mcpServers[name] = isHttp(s) ? { type: 'http', url: s.url, ...(s.headers ? { headers: s.headers } : {}) } : { type: 'stdio', command: s.command, args: s.args ?? [], env: s.env ?? {} };
  }
  return { mcpServers };
}

/**
 * Under `-p --permission-mode acceptEdits` Claude Code denies every MCP tool call without a word
 * unless the server's tools are allowed: `mcp__<name>` allows all tools of that server.
 */
export const claudeAllowedTools = (servers: Record<string, McpServerSpec>): string[] => Object.keys(servers).map((n) => `mcp__${n}`);

export const claudeSettingsFile = (t: HookTarget): string => hooksFile(t, 'claude-settings.json');
export const claudeMcpConfigFile = (t: HookTarget): string => hooksFile(t, 'claude-mcp.json');

/** Writes the settings (and MCP config) files; the flags that load them. */
function claudeFlags(t: HookTarget): string[] {
  const file = claudeSettingsFile(t);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(claudeSettings(t), null, 2) + '\n');
  const flags = ['--settings', file];
  if (hasServers(t)) {
    const servers = t.mcpServers!;
    const mcpFile = claudeMcpConfigFile(t);
    fs.writeFileSync(mcpFile, JSON.stringify(claudeMcpConfig(servers), null, 2) + '\n');
    // both options take several values: each is followed by another option or `--`
    flags.push('--mcp-config', mcpFile);
    if (t.headless) flags.push('--allowedTools', ...claudeAllowedTools(servers));
  }
  return flags;
}

export const claude: Agent = {
  name: 'claude',
  // Headless `--permission-mode acceptEdits` accepts file edits only: `git commit` and other
  // commands are denied. --dangerously-skip-permissions wins over --permission-mode when both
  // are given, and is refused as root unless IS_SANDBOX=1. `--continue` is per directory.
  // Same forms in 2.1.197.
  preset: {
    binary: 'claude',
    interactive: ['claude', '--', '{prompt}'],
    headless: ['claude', '-p', '--permission-mode', 'acceptEdits', '--', '{prompt}'],
    resume: ['claude', '--continue'],
    resumeHeadless: ['claude', '--continue', '-p', '--permission-mode', 'acceptEdits', '--', '{prompt}'],
    yolo: ['--dangerously-skip-permissions'],
    checked: '@anthropic-ai/claude-code 2.1.332',
  },
  wiring: { status: 'argv', mcp: 'argv', flags: claudeFlags },
};
