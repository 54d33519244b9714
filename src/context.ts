import type { Repo } from './git/repo.js';
import type { LoadedConfig, LoadOptions } from './config/load.js';

/** What a command needs from the outside world; tests can hand in their own streams. */
export interface Ctx {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

export function processCtx(): Ctx {
  return {
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY) && process.env.CI !== 'true',
  };
}

export interface Workspace {
  repo: Repo;
  config: LoadedConfig;
}

/** The repository around ctx.cwd and its config: what nearly every command starts with. */
export async function openWorkspace(ctx: Ctx, opts: LoadOptions = {}): Promise<Workspace> {
  // Loaded here, not at the top: cli.ts imports this module, and --version / --help need neither
  // (repo.ts pulls in node:crypto, ~6 ms).
  const [{ findRepo }, { loadConfig }] = await Promise.all([import('./git/repo.js'), import('./config/load.js')]);
  const repo = await findRepo(ctx.cwd);
  const config = await loadConfig(repo.root, opts);
  // Once per command: what an untrusted config file did not get to run.
  if (config.warning) ctx.err(`git superset: ${config.warning}\n`);
  return { repo, config };
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
