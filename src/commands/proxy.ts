import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openWorkspace, type Ctx } from '../context.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd
    .option('--port <n>', 'port to listen on, on 127.0.0.1 only (default: config proxy.port, 7777)')
    .addHelpText('after', '\nhttp://<task>.localhost:<port>/ reaches the task\'s first port, http://<name>-<task>.localhost:<port>/ a named one.\nBrowsers resolve *.localhost to this machine by themselves. Ctrl-C stops it.\n\nexample:\n  git superset proxy --port 8080   # then open http://fix-login.localhost:8080/');
}

export async function run(ctx: Ctx, opts: { port?: string }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const port = opts.port === undefined ? ws.config.proxy.port : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(msg.env.badPort(opts.port));
  const { startProxy } = await import('../env/proxy.js');
  const handle = await startProxy(ws.repo, port, (line) => ctx.err(msg.line(line))).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new UserError(msg.env.portInUse(port));
    throw e;
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
  return 0;
}
