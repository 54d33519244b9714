import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentProcessesIn, agentRunning, groupAlive, processesIn } from '../../src/task/liveness.js';
import { waitFor } from '../support/cli.js';
import { isAlive } from '../../src/task/process-alive.js';

// Real processes: a detached `sh` leads its own process group, as the agent wrapper does.
const leaders: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const pid of leaders.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function wrapperWithAgent(cwd: string, env: Record<string, string> = {}): { wrapper: number; agentFile: string } {
  const agentFile = path.join(cwd, 'agent.pid');
  const child = spawn('/bin/sh', ['-c', `sleep 60 & echo $! > agent.pid; wait`], { cwd, env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
  child.unref();
  leaders.push(child.pid!);
  return { wrapper: child.pid!, agentFile };
}

const tmp = (): string => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'superset-live-')));
  dirs.push(d);
  return d;
};

describe('agent liveness', () => {
  it('finds the agent of a wrapper killed with -9 through its process group, and its environment', async () => {
    const wt = tmp();
    const { wrapper, agentFile } = wrapperWithAgent(wt, { SUPERSET_WORKTREE: wt });
    const agent = await waitFor(() => Number(fs.existsSync(agentFile) && fs.readFileSync(agentFile, 'utf8').trim()) || undefined, 5000, 'the agent');
    process.kill(wrapper, 'SIGKILL');
    await waitFor(() => !isAlive(wrapper), 5000, 'the wrapper to die');
    expect(groupAlive(wrapper)).toBe(true);
    expect(agentProcessesIn(wt)).toEqual([agent]);
    expect(processesIn(wt)).toEqual([agent]);
    expect(agentRunning({ pid: wrapper, worktree: wt })).toBe(true);

    process.kill(agent, 'SIGKILL');
    await waitFor(() => !groupAlive(wrapper), 5000, 'the group to be gone');
    expect(agentRunning({ pid: wrapper, worktree: wt }, { worktree: true })).toBe(false);
  });

  it("does not count a user's shell in the worktree as an agent, nor another worktree's agent", async () => {
    const wt = tmp();
    const other = tmp();
    const shell = spawn('/bin/sh', ['-c', 'sleep 60'], { cwd: wt, detached: true, stdio: 'ignore' });
    leaders.push(shell.pid!);
    wrapperWithAgent(other, { SUPERSET_WORKTREE: other });
    await waitFor(() => processesIn(wt).length > 0, 5000, 'the shell');
    expect(agentProcessesIn(wt)).toEqual([]);
    expect(agentProcessesIn(other).length).toBeGreaterThan(0);
  });

  it('counts nothing for a pid that never led a group', () => {
    const res = spawnSync('sh', ['-c', 'echo $$']);
    const gone = Number(res.stdout.toString().trim());
    expect(groupAlive(gone)).toBe(false);
    expect(agentRunning({ pid: gone, worktree: null })).toBe(false);
  });
});
