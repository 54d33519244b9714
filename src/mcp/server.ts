import type { Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerTools } from './tools.js';
import * as msg from '../messages.js';

export interface ServeOptions {
  /** Any directory of the repository the server is scoped to. */
  cwd: string;
  version: string;
  /** Where diagnostics go (never stdout: it carries the protocol). */
  log: (line: string) => void;
  parent?: string;
}

/**
 * Serves MCP over stdio until the client closes stdin. Anything else in the process that writes
 * to stdout (a stray console.log in a library) is sent to stderr instead: stdout carries only
 * JSON-RPC messages.
 */
export async function serveStdio(opts: ServeOptions): Promise<void> {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout);
  const protocolOut = {
    write: (chunk: string | Uint8Array) => write(chunk),
    once: (event: string, fn: () => void) => stdout.once(event, fn),
  } as unknown as Writable;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  console.log = console.error;

  const server = new McpServer({ name: 'git-superset', version: opts.version }, { capabilities: { tools: {} } });
  registerTools(server, { cwd: opts.cwd, log: opts.log, parent: opts.parent });
  const transport = new StdioServerTransport(process.stdin, protocolOut);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => void transport.close());
    process.stdin.once('close', () => void transport.close());
  });
  transport.onerror = (e) => opts.log(msg.mcp.logLine(e.message));
  await server.connect(transport);
  opts.log(msg.mcp.logLine(msg.mcp.serving(opts.cwd)));
  await closed;
  await server.close().catch(() => {});
}
