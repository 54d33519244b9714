import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { requireTask } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { capturePane, hasSession } from '../runner/tmux.js';
import { readFrom } from '../util/read-from.js';

export interface TaskOutput {
  task: string;
  /** `screen`: the live tmux pane; `log`: the log file (headless, or an ended tmux task). */
  source: 'screen' | 'log' | 'none';
  lines: string[];
  /** Lines left out before the tail. */
  omitted: number;
}

/** The last `lines` lines of what the task's agent printed. */
export async function taskOutput(ws: Workspace, name: string, lines = 50): Promise<TaskOutput> {
  const task = await requireTask(ws, name);
  let text: string | null = null;
  let source: TaskOutput['source'] = 'none';
  if (task.tmuxSession && hasSession(task.tmuxSession)) {
    text = capturePane(task.tmuxSession);
    source = 'screen';
  } else {
    const file = new TaskStore(ws.repo).logFile(name);
    if (fs.existsSync(file)) {
      text = readFrom(file, -(1 << 20)).text; // at most the last MB: a long-running agent's log can be large
      source = 'log';
    }
  }
  const all = text === null ? [] : text.replace(/\s+$/, '').split('\n');
  const keep = Math.max(1, Math.floor(lines));
  return { task: name, source, lines: all.slice(-keep), omitted: Math.max(0, all.length - keep) };
}
