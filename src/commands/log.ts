import type { Command } from 'commander';
import { interruptible, json, openWorkspace, type Ctx } from '../context.js';
import type { NoteRecord } from '../git/notes.js';
import { latestPrompt, taskLog, type LogEntry } from '../ops/log.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd
    .argument('[task]', 'only this task')
    .option('--json', 'print the events as a JSON array (oldest first)')
    .addHelpText(
      'after',
      `
The timeline comes from refs/notes/superset, which plain git shows too:
  git log -p refs/notes/superset                 every change to the record
  git notes --ref=superset show superset/<task>  the events on a task's tip
  git cat-file -p superset/tasks/<task>           what the task was asked (its prompt)
  git notes --ref=superset show superset/tasks/<task>  its start, and events before its first commit

examples:
  git superset log
  git superset log fix-login --json | jq -r '.[] | select(.event=="commit") | .commit'`,
    );
}

/** Pure: what the task was asked (its latest start's prompt), above its timeline. */
export function promptBlock(records: readonly NoteRecord[]): string {
  return formatPrompt(latestPrompt(records));
}

function formatPrompt(prompt: string | null): string {
  if (prompt === null) return '';
  return `prompt:\n${prompt.replace(/\s+$/, '').split('\n').map((l) => `  ${l}`.trimEnd()).join('\n')}\n\n`;
}

/** What happened, in words: `exited failed (3)`, `stopped`, `commit`. Pure. */
export function describeEvent(e: NoteRecord): string {
  if (e.event === 'exited') {
    const how = e.signal ? String(e.signal) : e.exitCode === null || e.exitCode === undefined ? '' : String(e.exitCode);
    const extra = e.checkpoint ? ', work committed' : e.reason ? `, ${String(e.reason)}` : '';
    return `exited ${e.status ?? ''}${how ? ` (${how})` : ''}${extra}`.replace(/\s+/g, ' ').trim();
  }
  if (e.event === 'commit' && e.via === 'scan') return 'commit (found later)';
  if (e.event === 'started' && e.relaunch) return 'started (relaunch)';
  // the task graph: what a task waits for, and why it is blocked
  if (e.event === 'queued' && Array.isArray(e.after) && e.after.length) return `queued (after ${e.after.join(', ')})${e.retry ? ', retried' : ''}`;
  if (e.event === 'blocked' && typeof e.reason === 'string' && e.reason) return `blocked: ${e.reason}`;
  return e.event;
}

/** The timeline table. Pure. */
export function timelineTable(entries: LogEntry[]): string {
  const rows = entries.map((e) => [e.t.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.task, describeEvent(e), e.commit.slice(0, 10), e.subject ?? '']);
  const header = ['TIME (UTC)', 'TASK', 'EVENT', 'COMMIT', 'SUBJECT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

export async function run(ctx: Ctx, name: string | undefined, opts: { json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const { entries, prompt } = await interruptible(ctx, (signal) => taskLog(ws, { task: name, signal }));
  ensureWatcherFor(ws.repo);
  if (opts.json) ctx.out(json(entries.map(({ on: _on, ...e }) => e)));
  else if (entries.length === 0) ctx.out(`${name ? msg.log.noEventsFor(name) : msg.log.noEvents}\n`);
  else ctx.out(formatPrompt(prompt) + timelineTable(entries));
  return 0;
}
