import { isAlive } from './process-alive.js';
import { groupAlive } from './liveness.js';
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

/** The wrapper, or an agent left in its group after the wrapper was killed. */
const running = (pid: number): boolean => isAlive(pid) || groupAlive(pid);

/** Ends an agent gently (SIGTERM to its group), then forcefully after timeoutMs. Resolves to how it ended. */
export async function stopAgent(pid: number | null, tmuxSession: string | null, timeoutMs: number): Promise<'not-running' | 'terminated' | 'killed'> {
  let how: 'not-running' | 'terminated' | 'killed' = 'not-running';
  if (pid && running(pid)) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    how = 'terminated';
    if (running(pid)) {
      signalGroup(pid, 'SIGKILL');
      how = 'killed';
    }
  }
  if (tmuxSession && hasSession(tmuxSession)) killSession(tmuxSession);
  return how;
}
