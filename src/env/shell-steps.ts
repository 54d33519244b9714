import fs from 'node:fs';
import { UserError } from '../errors.js';
import { runShellCommand } from '../runner/shell-command.js';
import * as msg from '../messages.js';

/** A setup or teardown command that failed: what ran, how it ended, the tail of its output. */
export class StepFailed extends UserError {
  constructor(
    readonly step: 'setup' | 'teardown',
    readonly command: string,
    readonly code: number | null,
    readonly tail: string,
  ) {
    super(msg.env.stepFailed(step, command, code, tail));
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
 * Runs the user's own setup/teardown commands in order with /bin/sh (runShellCommand), stopping at
 * the first failure. Not in a process group of their own: `start` turns no Ctrl-C into an abort,
 * so the terminal's SIGINT must reach them as it reaches us.
 */
export async function runSteps(run: StepRun): Promise<void> {
  for (const [i, command] of run.commands.entries()) {
    run.onCommand?.(command, i);
    const log = fs.openSync(run.logFile, 'a');
    fs.writeSync(log, `── ${run.step}: ${command}\n`);
    const r = await runShellCommand({ command, cwd: run.cwd, env: run.env, keep: 8192, ownGroup: false, onOutput: (b) => fs.writeSync(log, b), signal: run.signal });
    fs.closeSync(log);
    if (r.code !== 0) throw new StepFailed(run.step, command, r.code, r.output.trimEnd().split('\n').slice(-TAIL_LINES).join('\n'));
  }
}
