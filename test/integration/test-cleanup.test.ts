import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { killLeftovers } from '../support/repo.js';
import { waitFor } from '../support/cli.js';

const alive = (pid: number): boolean => {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

// A dev server started by `run` is in neither the agent's process group nor the task record's pid:
// the fixtures' clean-up must still end it (one leaked for every run of the proxy tests).
it('removeRepo ends processes working in the test dir, by cwd or by SUPERSET_WORKTREE, and no others', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-cleanup-'));
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-cleanup-other-'));
  const opts = { detached: true, stdio: 'ignore' } as const;
  const byCwd = spawn('sleep', ['60'], { ...opts, cwd: dir });
  const byEnv = spawn('sleep', ['60'], { ...opts, cwd: os.tmpdir(), env: { ...process.env, SUPERSET_WORKTREE: path.join(dir, 'repo.worktrees', 't') } });
  const bystander = spawn('sleep', ['60'], { ...opts, cwd: other, env: { ...process.env, SUPERSET_WORKTREE: `${dir}-not-inside/t` } });
  try {
    await waitFor(() => [byCwd, byEnv, bystander].every((c) => c.pid && alive(c.pid)), 5_000, 'the sleeps');
    expect(killLeftovers(dir)).toBe(2);
    await waitFor(() => !alive(byCwd.pid!) && !alive(byEnv.pid!), 5_000, 'the leftovers to die');
    expect(alive(bystander.pid!)).toBe(true);
  } finally {
    for (const c of [byCwd, byEnv, bystander]) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(other, { recursive: true, force: true });
  }
});
