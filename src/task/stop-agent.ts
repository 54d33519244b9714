import { isAlive } from './store.js';
import { hasSession, killSession } from '../runner/tmux.js';

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // The wrapper leads its own process group (setsid by tmux, or detached spawn): this reaches the agent too.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** Ends an agent gently (SIGTERM to its group), then forcefully after timeoutMs. Resolves to how it ended. */
export async function stopAgent(pid: number | null, tmuxSession: string | null, timeoutMs: number): Promise<'not-running' | 'terminated' | 'killed'> {
  let how: 'not-running' | 'terminated' | 'killed' = 'not-running';
  if (pid && isAlive(pid)) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    how = 'terminated';
    if (isAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      how = 'killed';
    }
  }
  if (tmuxSession && hasSession(tmuxSession)) killSession(tmuxSession);
  return how;
}
