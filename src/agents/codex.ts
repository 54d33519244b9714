import { cliWords, type Agent, type HookTarget } from './agent.js';
import { isHttp, type McpServerSpec } from './mcp-servers.js';

/**
 * Codex CLI. Status hook: its `notify` program; MCP servers: `mcp_servers.<name>.*`. Both as
 * `-c key=value` overrides on the command line, so the user's `~/.codex` is never touched.
 */

/** Pure: the `notify` program as a TOML array for `-c notify=...` (JSON strings are TOML strings). */
export function codexNotify(t: HookTarget): string {
  // Codex calls it at the end of each turn, appending a JSON argument that `signal` ignores.
  return `notify=[${[...cliWords(t), 'signal', t.task, 'idle'].map((w) => JSON.stringify(w)).join(',')}]`;
}

const toml = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(toml).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}=${toml(x)}`).join(',')}}`;
  // JSON strings are valid TOML basic strings
  return JSON.stringify(v);
};

/** Pure: the `-c key=value` overrides (TOML values), one pair of words per setting. */
export function codexMcpFlags(servers: Record<string, McpServerSpec>): string[] {
  const flags: string[] = [];
  for (const [name, s] of Object.entries(servers)) {
    const key = `mcp_servers.${JSON.stringify(name)}`;
    const set = (field: string, value: unknown) => flags.push('-c', `${key}.${field}=${toml(value)}`);
    if (isHttp(s)) {
      set('url', s.url);
      if (s.headers) set('http_headers', s.headers);
    } else {
      set('command', s.command);
      set('args', s.args ?? []);
      if (s.env) set('env', s.env);
    }
  }
  return flags;
}

export const codex: Agent = {
  name: 'codex',
  // `codex exec` is read-only unless given -s, and so is `codex exec resume`, which has no -s of its own:
  // it goes before `resume`. In -s workspace-write `.git` is read-only, and a linked worktree's
  // git dir lies outside the workspace, so the agent cannot commit. The yolo flag placed
  // before `exec` overrides -s (danger-full-access). `resume --last` only picks sessions from this
  // directory, and only interactive ones unless --include-non-interactive is given.
  preset: {
    binary: 'codex',
    interactive: ['codex', '--', '{prompt}'],
    headless: ['codex', 'exec', '-s', 'workspace-write', '--', '{prompt}'],
    resume: ['codex', 'resume', '--last', '--include-non-interactive'],
    resumeHeadless: ['codex', 'exec', '-s', 'workspace-write', 'resume', '--last', '--', '{prompt}'],
    yolo: ['--dangerously-bypass-approvals-and-sandbox'],
    checked: '@openai/codex 0.169.0',
  },
  wiring: { status: 'argv', mcp: 'argv', flags: (t) => ['-c', codexNotify(t), ...codexMcpFlags(t.mcpServers ?? {})] },
};
