import { spawn } from 'node:child_process';
import { exact, tmuxArgs, type TmuxResult } from '../runner/tmux.js';

/**
 * tmux calls that must not block the board's event loop (runner/tmux.ts uses spawnSync, which
 * is right for commands but would freeze the screen behind a slow server). Same socket rule.
 */
export function tmuxAsync(args: readonly string[]): Promise<TmuxResult> {
  return new Promise((resolve) => {
    const child = spawn('tmux', tmuxArgs(args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const pane = (session: string): string => `${exact(session)}:`;

/** The pane's screen, or with `history` its whole scrollback too; null when the session is gone. */
export async function capture(session: string, history = false): Promise<string | null> {
  const res = await tmuxAsync(['capture-pane', '-p', '-J', ...(history ? ['-S', '-'] : []), '-t', pane(session)]);
  return res.code === 0 ? res.stdout : null;
}
