import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from './repo.js';
import { git, gitBytes, gitResult } from './git.js';
import { withFileLock } from '../task/lock.js';
import { NOTES_REF, noteLine, parseNoteLines, type NewNoteEvent, type NoteEvent } from './note-line.js';

/**
 * Reading and writing refs/notes/superset. Writers never run a bare `git notes append`
 * concurrently (on git 2.39 parallel appends silently drop lines): every writer, the sh hook
 * included, holds `<common dir>/superset/notes.lock` (an O_EXCL file) while it updates the ref.
 */

export interface NoteEntry {
  /** A commit (full hash, or any rev that names one). */
  commit: string;
  event: NewNoteEvent;
}

/** An event as read back, with the commit its note is attached to. */
export interface NoteRecord extends NoteEvent {
  /** The annotated commit. */
  on: string;
}

export const notesLockPath = (repo: Repo): string => path.join(repo.stateDir, 'notes.lock');

/** Runs fn holding the lock the hook's `lock_notes` also takes. */
export function withNotesLock<T>(repo: Repo, fn: () => Promise<T>): Promise<T> {
  // the runtime cache may have been deleted; the record must still be writable
  fs.mkdirSync(repo.stateDir, { recursive: true });
  return withFileLock(notesLockPath(repo), fn, 60_000);
}

const FULL_HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

async function resolveCommits(repo: Repo, revs: string[]): Promise<string[]> {
  const unresolved = [...new Set(revs.filter((r) => !FULL_HASH.test(r)))];
  if (unresolved.length === 0) return revs;
  const out = await git(['rev-parse', ...unresolved.map((r) => `${r}^{commit}`)], { cwd: repo.root });
  const map = new Map(unresolved.map((r, i) => [r, out.split('\n')[i]!]));
  return revs.map((r) => map.get(r) ?? r);
}

interface BatchObject {
  oid: string;
  content: string;
}

/** Parses `git cat-file --batch` output: one object (or null when missing) per request line. */
function parseBatch(out: Buffer, requests: string[]): (BatchObject | null)[] {
  const results: (BatchObject | null)[] = [];
  let pos = 0;
  for (let i = 0; i < requests.length; i++) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(null);
      continue;
    }
    const [oid, , sizeText] = header.split(' ');
    const size = Number(sizeText);
    results.push({ oid: oid!, content: out.subarray(pos, pos + size).toString('utf8') });
    pos += size + 1;
  }
  return results;
}

/** One `git cat-file --batch` for every request; its sizes count bytes, so it reads bytes. */
async function catFileBatch(repo: Repo, requests: string[]): Promise<(BatchObject | null)[]> {
  const out = await gitBytes(['cat-file', '--batch'], { cwd: repo.root, input: requests.map((r) => r + '\n').join('') });
  return parseBatch(out, requests);
}

/** The note paths git may use for a commit: no fan-out, `ab/cdef...`, `ab/cd/ef...`. */
function notePaths(commit: string): string[] {
  return [commit, `${commit.slice(0, 2)}/${commit.slice(2)}`, `${commit.slice(0, 2)}/${commit.slice(2, 4)}/${commit.slice(4)}`];
}

let identity: string | null = null;

/** The committer of notes commits: the user's identity, like `git notes` would use. */
async function committer(repo: Repo): Promise<string> {
  if (identity) return identity;
  const res = await gitResult(['var', 'GIT_COMMITTER_IDENT'], { cwd: repo.root });
  const ident = res.code === 0 ? res.stdout.trim() : '';
  // "Name <email> 1700000000 +0000" -> "Name <email>"; without an identity, notes are still written.
  identity = /^.*<[^>]*>/.exec(ident)?.[0] ?? 'git superset <git-superset@localhost>';
  return identity;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/**
 * Appends one line per entry to the notes of the entries' commits, in one notes commit, with a
 * constant number of git processes whatever the number of entries: one `cat-file --batch` reads
 * the current notes, one `fast-import` writes the new ones and moves the ref. Lossless under
 * concurrent writers (the notes lock), and the line stays one line: no blank separator.
 */
export async function appendNotes(repo: Repo, entries: NoteEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const commits = await resolveCommits(repo, entries.map((e) => e.commit));
  const now = new Date();
  const linesFor = new Map<string, string[]>();
  entries.forEach((e, i) => {
    const list = linesFor.get(commits[i]!) ?? [];
    list.push(noteLine(e.event, now));
    linesFor.set(commits[i]!, list);
  });
  const who = await committer(repo);
  await withNotesLock(repo, async () => {
    const targets = [...linesFor.keys()];
    const requests = [NOTES_REF, ...targets.flatMap((c) => notePaths(c).map((p) => `${NOTES_REF}:${p}`))];
    const found = await catFileBatch(repo, requests);
    const parent = found[0]?.oid ?? null;
    let stream = `commit ${NOTES_REF}\ncommitter ${who} ${Math.floor(now.getTime() / 1000)} +0000\n${data("Notes added by 'git superset'")}`;
    if (parent) stream += `from ${parent}\n`;
    targets.forEach((c, i) => {
      const old = found.slice(1 + i * 3, 4 + i * 3).find((x) => x)?.content ?? '';
      const kept = old.replace(/\s+$/, '');
      const text = (kept ? `${kept}\n` : '') + linesFor.get(c)!.join('\n') + '\n';
      stream += `N inline ${c}\n${data(text)}`;
    });
    stream += 'done\n';
    await git(['fast-import', '--quiet', '--done', '--date-format=raw'], { cwd: repo.root, input: stream });
  });
}

/**
 * Every event in refs/notes/superset, oldest first, each with the commit it is attached to.
 * Two git processes however many notes there are. Identical lines on one commit (two writers
 * that raced to record the same thing) are read once.
 */
export async function readNotes(repo: Repo, ref = NOTES_REF): Promise<NoteRecord[]> {
  const res = await gitResult(['notes', `--ref=${ref}`, 'list'], { cwd: repo.root });
  if (res.code !== 0) return [];
  const pairs = res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ') as [string, string]);
  if (pairs.length === 0) return [];
  const blobs = await catFileBatch(repo, pairs.map(([blob]) => blob));
  const records: NoteRecord[] = [];
  pairs.forEach(([, on], i) => {
    const seen = new Set<string>();
    for (const e of parseNoteLines(blobs[i]?.content ?? '')) {
      const key = JSON.stringify(e);
      if (seen.has(key)) continue;
      seen.add(key);
      records.push({ ...e, on });
    }
  });
  return records.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}
