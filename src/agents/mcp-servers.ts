/**
 * MCP servers from config `mcpServers`, handed to each task's agent in that agent's own way,
 * never by editing the user's global agent config or the worktree. The shapes here; each agent
 * module (claude.ts, codex.ts, gemini.ts, opencode.ts) translates them into its own form, and
 * the registry says which agents take them.
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

/** Config entries with "self" made concrete: our own CLI, started in the agent's worktree. */
export function resolveMcpServers(config: Record<string, McpServerConfig>, cliWords: readonly string[]): Record<string, McpServerSpec> {
  const out: Record<string, McpServerSpec> = {};
  for (const [name, spec] of Object.entries(config)) {
    out[name] = spec === 'self' ? { command: cliWords[0]!, args: [...cliWords.slice(1), 'mcp'] } : spec;
  }
  return out;
}
