import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { gitResult } from '../git/git.js';
import type { Repo } from '../git/repo.js';
import { readNotes, type NoteRecord } from '../git/notes.js';
import { loadTasks } from '../task/catalog.js';
import { assertTaskName } from '../task/name.js';
import { recordMissingCommits } from '../task/missing-commits.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

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

export interface LogEntry extends NoteRecord {
  commit: string;
  subject: string | null;
}

/** One `commit` event per commit and task: the hook's, when a scan raced it and added its own. */
export function dedupeCommitEvents(records: NoteRecord[]): NoteRecord[] {
  const best = new Map<string, NoteRecord>();
  for (const r of records) {
    if (r.event !== 'commit') continue;
    const key = `${r.on}\0${r.task}`;
    const seen = best.get(key);
    if (!seen || (seen.via === 'scan' && r.via !== 'scan')) best.set(key, r);
  }
  return records.filter((r) => r.event !== 'commit' || best.get(`${r.on}\0${r.task}`) === r);
}

async function subjects(repo: Repo, commits: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(commits)];
  if (unique.length === 0) return new Map();
  const res = await gitResult(['log', '--no-walk=unsorted', '--stdin', '--ignore-missing', '--format=%H%x00%s'], { cwd: repo.root, input: unique.join('\n') + '\n' });
  return new Map(res.stdout.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
}

/**
 * `started` sits on the task's anchor, not a commit: its commit is the base it started from, and
 * its subject the prompt's first line. Every other event shows the subject of its commit.
 */
async function withSubjects(repo: Repo, records: NoteRecord[]): Promise<LogEntry[]> {
  const commitOf = (r: NoteRecord): string => (r.event === 'started' && typeof r.baseCommit === 'string' ? r.baseCommit : r.on);
  const subjectOf = await subjects(repo, records.map(commitOf));
  return records.map((r) => {
    const commit = commitOf(r);
    const prompt = r.event === 'started' && typeof r.prompt === 'string' ? r.prompt.trim().split('\n')[0] : undefined;
    return { ...r, commit, subject: prompt ?? subjectOf.get(commit) ?? null };
  });
}

/** Pure: what the task was asked (its latest start's prompt), above its timeline. */
export function promptBlock(records: readonly NoteRecord[]): string {
  const started = records.filter((r) => r.event === 'started' && typeof r.prompt === 'string' && r.prompt !== '');
  const last = started[started.length - 1];
  if (!last) return '';
  return `prompt:\n${String(last.prompt).replace(/\s+$/, '').split('\n').map((l) => `  ${l}`.trimEnd()).join('\n')}\n\n`;
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
  const { repo, config } = await openWorkspace(ctx);
  if (name !== undefined) assertTaskName(name);
  const tasks = await loadTasks(repo, config, { ahead: false });
  ensureWatcherFor(repo, tasks);
  let records = await readNotes(repo);
  // commits that skipped the post-commit hook get their event now, so the timeline is complete
  const added = await recordMissingCommits(repo, tasks.map((t) => ({ name: t.name, branch: t.branch, base: t.base })), records).catch(() => 0);
  if (added) records = await readNotes(repo);
  records = dedupeCommitEvents(records);
  if (name !== undefined) {
    records = records.filter((r) => r.task === name);
    if (records.length === 0 && !tasks.some((t) => t.name === name)) throw new UserError(`no such task: ${name} (see git superset ls)`);
  }
  const entries: LogEntry[] = await withSubjects(repo, records);
  if (opts.json) ctx.out(json(entries.map(({ on: _on, ...e }) => e)));
  else if (entries.length === 0) ctx.out(name ? `no events for ${name} yet\n` : "no events yet: start a task with 'git superset start <task>'\n");
  else ctx.out((name ? promptBlock(records) : '') + timelineTable(entries));
  return 0;
}
