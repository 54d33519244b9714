/**
 * MCP servers from config `mcpServers`, handed to each task's agent in that agent's own way,
 * never by editing the user's global agent config or the worktree. Pure translations here; the
 * agent modules write the files. Checked against: Claude Code 2.1.x (`--mcp-config`, tools named
 * `mcp__<server>__<tool>`, `--allowedTools`), Codex 0.169 (`-c mcp_servers.<name>.*`), Gemini CLI
 * 0.61 (`mcpServers` in settings.json, `trust`), OpenCode 1.18 (`mcp` in its config).
 */

export interface StdioServer {
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

export interface HttpServer {
  url: string;
  headers?: Record<string, string>;
}

export type McpServerSpec = StdioServer | HttpServer;

/** Config form: a server, or "self" for `git superset mcp` (a task's agent can lead sub-tasks). */
export type McpServerConfig = McpServerSpec | 'self';

export const isHttp = (s: McpServerSpec): s is HttpServer => 'url' in s;

/** Agents we can hand servers to; any other agent gets a warning at start. */
export const MCP_CAPABLE = ['claude', 'codex', 'gemini', 'opencode'] as const;

/** Config entries with "self" made concrete: our own CLI, started in the agent's worktree. */
export function resolveMcpServers(config: Record<string, McpServerConfig>, cliWords: readonly string[]): Record<string, McpServerSpec> {
  const out: Record<string, McpServerSpec> = {};
  for (const [name, spec] of Object.entries(config)) {
    out[name] = spec === 'self' ? { command: cliWords[0]!, args: [...cliWords.slice(1), 'mcp'] } : spec;
  }
  return out;
}

/** Claude Code's `--mcp-config` file. */
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

const toml = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(toml).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}=${toml(x)}`).join(',')}}`;
  // JSON strings are valid TOML basic strings
  return JSON.stringify(v);
};

/** Codex's `-c key=value` overrides (TOML values), one pair of words per setting. */
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

/**
 * Gemini CLI's `mcpServers` settings. `trust` skips its confirmations: the user listed these
 * servers for their agents, and a headless run has nobody to confirm.
 */
export function geminiMcpSettings(servers: Record<string, McpServerSpec>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, s] of Object.entries(servers)) {
    out[name] = isHttp(s) ? { httpUrl: s.url, ...(s.headers ? { headers: s.headers } : {}), trust: true } : { command: s.command, args: s.args ?? [], ...(s.env ? { env: s.env } : {}), trust: true };
  }
  return out;
}

/** OpenCode's `mcp` config. */
export function opencodeMcpConfig(servers: Record<string, McpServerSpec>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, s] of Object.entries(servers)) {
    out[name] = isHttp(s)
      ? { type: 'remote', url: s.url, ...(s.headers ? { headers: s.headers } : {}), enabled: true }
      : { type: 'local', command: [s.command, ...(s.args ?? [])], ...(s.env ? { environment: s.env } : {}), enabled: true };
  }
  return out;
}
