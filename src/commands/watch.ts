import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openWorkspace, type Ctx } from '../context.js';
import { stopWatcher, watcherPid } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

interface WatchOptions {
  status?: boolean;
  stop?: boolean;
  daemon?: boolean;
}

export function define(cmd: Command): void {
  cmd
    .option('--status', 'print the pid of the running watcher; exit 0 if it runs, 1 if not')
    .option('--stop', 'stop the running watcher')
    .option('--daemon', 'run detached, as start does (internal)')
    .addHelpText(
      'after',
      `
One watcher per repository records activity, idle agents and snapshots for every running task.
start launches it in the background; any command that finds it dead while tasks run starts it
again. Run it in the foreground to see what it does.

examples:
  git superset watch            # foreground, logs to the terminal (Ctrl-C to stop)
  git superset watch --status
  git superset watch --stop`,
    );
}

export async function run(ctx: Ctx, opts: WatchOptions): Promise<number> {
  const { repo, config } = await openWorkspace(ctx);
  if (opts.status) {
    const pid = watcherPid(repo.stateDir);
    ctx.out(`${msg.watch.running(pid)}\n`);
    return pid ? 0 : 1;
  }
  if (opts.stop) {
    const how = await stopWatcher(repo.stateDir);
    ctx.out(`${msg.watch.stopped(how)}\n`);
    return 0;
  }
  const { WatchDaemon } = await import('../watch/daemon.js');
  const log = (line: string) => (opts.daemon ? process.stdout.write(`${new Date().toISOString()} ${line}\n`) : ctx.err(`${msg.watch.logLine(line)}\n`));
  // For tests: a shorter linger and tick, so they do not wait out the defaults (120 s, 2 s).
  const linger = envNumber('SUPERSET_WATCH_LINGER_SECONDS');
  const tickMs = envNumber('SUPERSET_WATCH_TICK_MS');
  const daemon = new WatchDaemon(repo, { config, log, ...(linger !== undefined ? { lingerSeconds: linger } : {}), ...(tickMs ? { tickMs } : {}) });
  const onSignal = (sig: string) => void daemon.stop(msg.watch.receivedSignal(sig));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    const other = await daemon.run();
    if (other) {
      if (opts.daemon) return 0; // raced with another command that started one: that one serves
      throw new UserError(msg.watch.alreadyRuns(other));
    }
    return 0;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGHUP', onSignal);
  }
}

function envNumber(name: string): number | undefined {
  const n = Number(process.env[name]);
  return process.env[name] && Number.isFinite(n) && n >= 0 ? n : undefined;
}
