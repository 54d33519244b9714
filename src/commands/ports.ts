import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { listPorts } from '../ops/environment.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd.option('--json', 'print the ports as JSON').addHelpText('after', '\nEach task gets its own ports from config "ports"; `git superset proxy` serves them by name.\n\nexample:\n  git superset ports --json | jq -r \'.[] | select(.listening) | .url\'');
}

export async function run(ctx: Ctx, opts: { json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const rows = await listPorts(ws);
  if (opts.json) ctx.out(json(rows));
  else if (!rows.length) ctx.out(`${msg.env.noPorts}\n`);
  else {
    const w = (k: 'task' | 'name') => Math.max(k.length, ...rows.map((r) => r[k].length));
    ctx.out(`${'TASK'.padEnd(w('task'))}  ${'NAME'.padEnd(w('name'))}  PORT   LISTENING  URL\n`);
    for (const r of rows) ctx.out(`${r.task.padEnd(w('task'))}  ${r.name.padEnd(w('name'))}  ${String(r.port).padEnd(5)}  ${(r.listening ? 'yes' : 'no').padEnd(9)}  ${r.url}\n`);
  }
  return 0;
}
