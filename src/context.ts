import type { Repo } from './git/repo.js';
import type { SupersetConfig } from './config/schema.js';

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
  config: SupersetConfig & { file: string | null };
}

/** The repository around ctx.cwd and its config: what nearly every command starts with. */
export async function openWorkspace(ctx: Ctx): Promise<Workspace> {
  // Loaded here, not at the top: cli.ts imports this module, and --version / --help need neither
  // (repo.ts pulls in node:crypto, ~6 ms).
  const [{ findRepo }, { loadConfig }] = await Promise.all([import('./git/repo.js'), import('./config/load.js')]);
  const repo = await findRepo(ctx.cwd);
  return { repo, config: await loadConfig(repo.root) };
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
