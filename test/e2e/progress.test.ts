import { spawnSync } from 'node:child_process';
import { beforeEach, expect, it } from 'vitest';
import { waitFor } from '../support/cli.js';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { branches, useAgentRepo, type AgentRepo } from './_agents.js';

let repo: TestRepo;
let tmux: AgentRepo['tmux'];
const fx = useAgentRepo();
beforeEach(() => ({ repo, tmux } = fx));

const tmuxRun = (...args: string[]) => spawnSync('tmux', ['-L', tmux.socket, ...args], { env: testEnv(), encoding: 'utf8' });

it('shows a spinner summary on a terminal, and plain lines when piped', async () => {
  // A real terminal: a tmux pane. CI must be unset there, or the spinner stays off.
  const started = tmuxRun(
    'new-session', '-d', '-s', 'tty', '-x', '120', '-y', '20', '-c', repo.root, '--',
    'sh', '-c', '"$@"; echo "EXIT=$?"; sleep 60', 'sh',
    'env', '-u', 'CI', `SUPERSET_TMUX_SOCKET=${tmux.socket}`, process.execPath, BIN, 'start', 'a', 'b', 'c', '--headless', '--agent', 'true',
  );
  expect(started.status, started.stderr).toBe(0);
  const screen = await waitFor(() => {
    const text = tmuxRun('capture-pane', '-p', '-t', 'tty').stdout;
    return text.includes('EXIT=') ? text : undefined;
  }, 20_000, 'start in the pane to finish');
  expect(screen).toMatch(/started 3\/3 tasks/);
  expect(screen).toContain('EXIT=0');
  // one summary line instead of a line per task
  expect(screen).not.toMatch(/started a on superset\/a/);
  expect(branches(repo).sort()).toEqual(['main', 'superset/a', 'superset/b', 'superset/c']);
});
