import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** A private tmux server per test (`tmux -L`), killed afterwards with every session on it. */
export function privateTmux(): { socket: string; env: Record<string, string>; kill: () => void; sessions: () => string[] } {
  const socket = `superset-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  return {
    socket,
    env: { SUPERSET_TMUX_SOCKET: socket },
    kill: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
    sessions: () => {
      const res = spawnSync('tmux', ['-L', socket, 'list-sessions', '-F', '#{session_name}'], { encoding: 'utf8' });
      return res.status === 0 ? res.stdout.split('\n').filter(Boolean) : [];
    },
  };
}
