import { spawn } from 'node:child_process';
import { gitResult } from '../git/git.js';

/** Whether git would colour `git diff` output on a terminal (color.ui / color.diff honoured). */
export async function gitWantsColor(cwd: string): Promise<boolean> {
  const res = await gitResult(['config', '--get-colorbool', 'color.diff', 'true'], { cwd });
  return res.code === 0 && res.stdout.trim() === 'true';
}

/**
 * Shows text through git's pager (core.pager, GIT_PAGER, PAGER, else less) with git's default
 * LESS=FRX, so a short diff prints and returns like `git diff` does. The pager is the user's own
 * command line, run by sh as git runs it; nothing of ours goes into it.
 */
export async function page(cwd: string, text: string, write: (t: string) => void): Promise<void> {
  const res = await gitResult(['var', 'GIT_PAGER'], { cwd });
  const pager = res.code === 0 ? res.stdout.trim() : 'less';
  if (!pager || pager === 'cat') return write(text);
  await new Promise<void>((resolve) => {
    const env = { ...process.env, LESS: process.env.LESS ?? 'FRX', LV: process.env.LV ?? '-c' };
    const child = spawn('/bin/sh', ['-c', pager], { cwd, env, stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', () => {
      write(text);
      resolve();
    });
    child.on('close', () => resolve());
    child.stdin.on('error', () => {}); // the user quit the pager early
    child.stdin.end(text);
  });
}
