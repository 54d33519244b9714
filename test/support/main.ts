import { main } from '../../src/cli.js';
import { terminalColumns } from '../../src/context.js';
import { bufferCtx } from './ctx.js';
import { testEnv } from './repo.js';
import type { CliResult } from './cli.js';

let queue: Promise<unknown> = Promise.resolve();

/**
 * `git superset <args>` run in the test's own process through `main(argv, ctx)`, with the
 * environment the spawned CLI would get (`testEnv(env)`) for the length of the call: what
 * `cli()` proves, without a Node start-up per call (~0.3-0.9 s on a loaded 2-core machine).
 * For everything that needs no process of its own: refusals, bad input, help, config errors,
 * `ls`. Calls are serialised (process.env is one per process); what must run concurrently, or
 * be signalled or killed, stays with `cli`/`cliAsync`. An agent a call starts is a real detached
 * process, as with the CLI.
 */
export function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const job = queue.then(async () => {
    const saved = process.env;
    process.env = testEnv(env);
    // what processCtx() gives a piped CLI: not a terminal, COLUMNS or 80 columns
    const ctx = bufferCtx(cwd, { columns: terminalColumns(process.env, { isTTY: false }) });
    try {
      const code = await main(args, ctx);
      return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
    } finally {
      process.env = saved;
    }
  });
  queue = job.catch(() => {});
  return job;
}
