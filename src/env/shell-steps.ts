import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';

/** A setup or teardown command that failed: what ran, how it ended, the tail of its output. */
export class StepFailed extends UserError {
  constructor(
    readonly step: 'setup' | 'teardown',
    readonly command: string,
    readonly code: number | null,
    readonly tail: string,
  ) {
    super(`${step} failed: ${JSON.stringify(command)} exited ${code ?? 'by a signal'}${tail ? `; last output:\n${tail}` : ''}`);
  }
}

export interface StepRun {
  step: 'setup' | 'teardown';
  commands: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Output goes here too (the task's log). */
  logFile: string;
  onCommand?: (command: string, index: number) => void;
  signal?: AbortSignal;
}

const TAIL_LINES = 15;

/**
 * Runs the user's own setup/teardown commands in order with /bin/sh (they come from the user's
 * config, so a shell is right; task names and prompts reach them only through the environment).
 * Stops at the first failure.
 */
export async function runSteps(run: StepRun): Promise<void> {
  for (const [i, command] of run.commands.entries()) {
    run.onCommand?.(command, i);
    const log = fs.openSync(run.logFile, 'a');
    fs.writeSync(log, `── ${run.step}: ${command}\n`);
    let tail = '';
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('/bin/sh', ['-c', command], { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], signal: run.signal });
      const take = (b: Buffer) => {
        fs.writeSync(log, b);
        tail = (tail + b.toString('utf8')).slice(-8192);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('error', () => resolve(null));
      child.on('close', (c) => resolve(c));
    });
    fs.closeSync(log);
    if (code !== 0) throw new StepFailed(run.step, command, code, tail.trimEnd().split('\n').slice(-TAIL_LINES).join('\n'));
  }
}
