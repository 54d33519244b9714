import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { git, gitResult } from '../git/git.js';
import type { Repo } from '../git/repo.js';
import { branchesUnder } from '../git/branches.js';
import { withNotesLock } from '../git/notes.js';
import { NOTES_REF } from '../git/note-line.js';
import { ANCHOR_PREFIX } from '../task/anchor.js';

export function define(cmd: Command): void {
  cmd
    .argument('[remote]', 'remote to sync with', 'origin')
    .option('--branches', 'also push the task branches (never forced)')
    .option('--json', 'print what was done as JSON')
    .addHelpText(
      'after',
      `
Fetches the remote's refs/notes/superset into refs/notes/remotes/<remote>/superset, merges it
into yours with 'git notes merge -s cat_sort_uniq' (lines are events: nothing is lost), and pushes
the result. It never force-pushes: when someone pushed in between, it fetches and merges again.

The same with plain git:
  git fetch origin +refs/notes/superset:refs/notes/remotes/origin/superset
  git notes --ref=superset merge -s cat_sort_uniq refs/notes/remotes/origin/superset
  git push origin refs/notes/superset
  git push origin 'refs/superset/tasks/*:refs/superset/tasks/*'   (the task anchors: prompts)

examples:
  git superset sync
  git superset sync upstream --branches`,
    );
}

export interface SyncResult {
  remote: string;
  /** The remote had notes, and they were merged into ours. */
  merged: boolean;
  pushed: boolean;
  attempts: number;
  branches: { pushed: string[]; rejected: string[] } | null;
}

const trackingRef = (remote: string): string => `refs/notes/remotes/${remote}/superset`;

/** Fetches the remote's notes into the tracking ref; false when the remote has none yet. */
async function fetchNotes(repo: Repo, remote: string): Promise<boolean> {
  const res = await gitResult(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote, `+${NOTES_REF}:${trackingRef(remote)}`], { cwd: repo.root });
  if (res.code === 0) return true;
  if (/couldn't find remote ref/i.test(res.stderr)) return false;
  throw new UserError(`cannot fetch notes from ${remote}: ${res.stderr.trim().split('\n').pop()}`);
}

async function hasRef(repo: Repo, ref: string): Promise<boolean> {
  return (await gitResult(['rev-parse', '--verify', '--quiet', ref], { cwd: repo.root })).code === 0;
}

/**
 * The task anchors (refs/superset/tasks/<task>: the prompt, and what started events sit on) both
 * ways, never forced: an anchor of the same name made elsewhere stays as it is on each side (its
 * events and prompt still travel in the notes). Best effort: the notes are what must sync.
 */
async function syncAnchors(repo: Repo, remote: string): Promise<void> {
  const spec = `${ANCHOR_PREFIX}*:${ANCHOR_PREFIX}*`;
  await gitResult(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote, spec], { cwd: repo.root });
  await gitResult(['push', '--quiet', '--porcelain', remote, spec], { cwd: repo.root });
}

/** Pure: refs `git push --porcelain` reports as rejected (`!` flag). */
export function rejectedRefs(porcelain: string): string[] {
  return porcelain
    .split('\n')
    .filter((l) => l.startsWith('!\t'))
    .map((l) => l.split('\t')[1]!.split(':')[1] ?? '');
}

export async function run(ctx: Ctx, remote: string, opts: { branches?: boolean; json?: boolean }): Promise<number> {
  const { repo, config } = await openWorkspace(ctx);
  if (!/^[A-Za-z0-9._-]+$/.test(remote) || remote.startsWith('-') || remote.includes('..')) throw new UserError(`not a remote name: ${remote} (see git remote -v)`);
  if ((await gitResult(['remote', 'get-url', remote], { cwd: repo.root })).code !== 0) {
    throw new UserError(`no such remote: ${remote} (add one with git remote add ${remote} <url>)`);
  }
  const result: SyncResult = { remote, merged: false, pushed: false, attempts: 0, branches: null };
  // Someone may push between our fetch and our push: then the push is rejected (never forced),
  // and we fetch and merge again.
  for (;;) {
    result.attempts++;
    const fetched = await fetchNotes(repo, remote);
    if (fetched) {
      await withNotesLock(repo, () => git(['notes', `--ref=${NOTES_REF}`, 'merge', '--quiet', '--strategy=cat_sort_uniq', trackingRef(remote)], { cwd: repo.root }));
      result.merged = true;
    }
    if (!(await hasRef(repo, NOTES_REF))) break;
    const push = await gitResult(['push', '--porcelain', '--quiet', remote, `${NOTES_REF}:${NOTES_REF}`], { cwd: repo.root });
    if (push.code === 0) {
      result.pushed = true;
      break;
    }
    if (result.attempts >= 5 || !/rejected|fetch first|non-fast-forward/i.test(push.stdout + push.stderr)) {
      throw new UserError(`cannot push ${NOTES_REF} to ${remote}: ${(push.stderr.trim() || push.stdout.trim()).split('\n').pop()}`);
    }
  }
  await syncAnchors(repo, remote);
  if (opts.branches) {
    const branches = await branchesUnder(repo.root, config.branchPrefix);
    result.branches = { pushed: [], rejected: [] };
    if (branches.length) {
      const push = await gitResult(['push', '--porcelain', remote, ...branches.map((b) => `refs/heads/${b.name}:refs/heads/${b.name}`)], { cwd: repo.root });
      const rejected = rejectedRefs(push.stdout).map((r) => r.replace(/^refs\/heads\//, ''));
      result.branches.rejected = rejected;
      result.branches.pushed = branches.map((b) => b.name).filter((n) => !rejected.includes(n));
      if (push.code !== 0 && rejected.length === 0) throw new UserError(`cannot push task branches to ${remote}: ${push.stderr.trim().split('\n').pop()}`);
    }
  }
  if (opts.json) ctx.out(json(result));
  else {
    ctx.out(`${result.merged ? `merged ${remote}'s notes` : `${remote} had no notes yet`}; ${result.pushed ? `pushed ${NOTES_REF}` : 'nothing to push'}\n`);
    if (result.branches) {
      ctx.out(`pushed ${result.branches.pushed.length} task branch${result.branches.pushed.length === 1 ? '' : 'es'}\n`);
      if (result.branches.rejected.length) ctx.err(`git superset: not pushed (the remote has other commits; fetch and merge them first): ${result.branches.rejected.join(', ')}\n`);
    }
  }
  return result.branches?.rejected.length ? 1 : 0;
}
