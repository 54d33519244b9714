import type { Command } from 'commander';
import type { Ctx } from '../context.js';

export function define(cmd: Command): void {
  cmd.addHelpText(
    'after',
    `
Serves the Model Context Protocol over stdio, scoped to the repository it starts in, so an agent
can start, watch, review and stop other agents. stdout carries only protocol messages.

examples (register it with an agent):
  claude mcp add superset -- git superset mcp
  codex:  [mcp_servers.superset] command = "git" args = ["superset", "mcp"]  (~/.codex/config.toml)`,
  );
}

export async function run(ctx: Ctx): Promise<number> {
  // The SDK (and zod) load only in this command.
  const [{ serveStdio }, { readFileSync }] = await Promise.all([import('../mcp/server.js'), import('node:fs')]);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  // Fails fast outside a repository, with the CLI's one line, before speaking the protocol.
  const { findRepo } = await import('../git/repo.js');
  await findRepo(ctx.cwd);
  await serveStdio({ cwd: ctx.cwd, version: pkg.version, log: (line) => ctx.err(`${line}\n`), parent: process.env.SUPERSET_TASK || undefined });
  return 0;
}
