import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from './repo.js';
import { git, gitBytes, gitResult } from './git.js';
import { defaultLockTimeoutMs, withFileLock } from '../task/lock.js';
import { NOTES_REF, mergeNoteText, noteLine, parseNoteLines, type NewNoteEvent, type NoteEvent } from './note-line.js';
import { MACHINE_IDENT } from './identity.js';

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

/**
 * Runs fn holding the lock the hook's `lock_notes` also takes; waits twice as long as for other
 * locks (60 s by default), as the hook does: every agent's commit takes this one.
 */
export function withNotesLock<T>(repo: Repo, fn: () => Promise<T>): Promise<T> {
  // the runtime cache may have been deleted; the record must still be writable
  fs.mkdirSync(repo.stateDir, { recursive: true });
  return withFileLock(notesLockPath(repo), fn, 2 * defaultLockTimeoutMs());
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
  type: string;
  /** The object's content; empty for an `info` request. */
  content: string;
}

type BatchRequest = { info: string } | { contents: string };

/** Parses `git cat-file --batch-command` output: one object (or null when missing) per request. */
export function parseBatch(out: Buffer, requests: readonly BatchRequest[]): (BatchObject | null)[] {
  const results: (BatchObject | null)[] = [];
  let pos = 0;
  for (const req of requests) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(null);
      continue;
    }
    const [oid, type, sizeText] = header.split(' ');
    if (!('contents' in req)) {
      results.push({ oid: oid!, type: type!, content: '' });
      continue;
    }
    const size = Number(sizeText);
    results.push({ oid: oid!, type: type!, content: out.subarray(pos, pos + size).toString('utf8') });
    pos += size + 1;
  }
  return results;
}

/** One `git cat-file --batch-command` for every request; its sizes count bytes, so it reads bytes. */
async function catFileBatch(repo: Repo, requests: readonly BatchRequest[]): Promise<(BatchObject | null)[]> {
  const input = requests.map((r) => ('info' in r ? `info ${r.info}\n` : `contents ${r.contents}\n`)).join('');
  const out = await gitBytes(['cat-file', '--batch-command'], { cwd: repo.root, input });
  return parseBatch(out, requests);
}

/** The note paths git may use for an object: no fan-out, `ab/cdef...`, `ab/cd/ef...`. */
export function notePaths(oid: string): [string, string, string] {
  return [oid, `${oid.slice(0, 2)}/${oid.slice(2)}`, `${oid.slice(0, 2)}/${oid.slice(2, 4)}/${oid.slice(4)}`];
}

/**
 * Where one note is written, and which paths are deleted, so the tree holds it at exactly one path
 * (git reads a note stored at two paths as both, joined by a blank line, and `git notes` writes that
 * back: lines multiply). An existing note stays where it is (the deepest copy, when there are
 * several); a new one follows the fan-out the tree already has around it. Pure.
 */
export function notePlacement(oid: string, found: readonly boolean[], dirs: { fanout1: boolean; fanout2: boolean }): { write: string; remove: string[] } {
  const paths = notePaths(oid);
  const present = paths.filter((_, i) => found[i]);
  const write = present.length ? present[present.length - 1]! : dirs.fanout2 ? paths[2] : dirs.fanout1 ? paths[1] : paths[0];
  return { write, remove: present.filter((p) => p !== write) };
}

let identity: string | null = null;

/** The committer of notes commits: the user's identity, like `git notes` would use. */
async function committer(repo: Repo): Promise<string> {
  if (identity) return identity;
  const res = await gitResult(['var', 'GIT_COMMITTER_IDENT'], { cwd: repo.root });
  const ident = res.code === 0 ? res.stdout.trim() : '';
  // "Name <email> 1700000000 +0000" -> "Name <email>"; without an identity, notes are still written.
  identity = /^.*<[^>]*>/.exec(ident)?.[0] ?? MACHINE_IDENT;
  return identity;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/**
 * Appends one line per entry to the notes of the entries' objects, in one notes commit, with a
 * constant number of git processes whatever the number of entries: one `cat-file --batch-command`
 * reads the current notes (at every fan-out path) and the fan-out around them, one `fast-import`
 * writes the new ones and moves the ref. Lossless under concurrent writers (the notes lock); each
 * note ends up at one path, each event in it once, its lines in time order, no blank lines.
 * `blobs` are written in the same fast-import (objects the entries annotate, see task/anchor.ts).
 */
export async function appendNotes(repo: Repo, entries: NoteEntry[], opts: { blobs?: readonly string[] } = {}): Promise<void> {
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
    const PER = 5;
    const requests: BatchRequest[] = [{ info: NOTES_REF }];
    for (const c of targets) {
      requests.push(...notePaths(c).map((p) => ({ contents: `${NOTES_REF}:${p}` })));
      requests.push({ info: `${NOTES_REF}:${c.slice(0, 2)}` }, { info: `${NOTES_REF}:${c.slice(0, 2)}/${c.slice(2, 4)}` });
    }
    const found = await catFileBatch(repo, requests);
    const parent = found[0]?.oid ?? null;
    let stream = (opts.blobs ?? []).map((b) => `blob\n${data(b)}`).join('');
    stream += `commit ${NOTES_REF}\ncommitter ${who} ${Math.floor(now.getTime() / 1000)} +0000\n${data("Notes added by 'git superset'")}`;
    if (parent) stream += `from ${parent}\n`;
    targets.forEach((c, i) => {
      const at = found.slice(1 + i * PER, 1 + (i + 1) * PER);
      const notes = at.slice(0, 3).map((x) => (x?.type === 'blob' ? x : null));
      const place = notePlacement(c, notes.map(Boolean), { fanout1: at[3]?.type === 'tree', fanout2: at[4]?.type === 'tree' });
      const text = mergeNoteText(notes.filter((x): x is BatchObject => x !== null).map((x) => x.content), linesFor.get(c)!);
      for (const p of place.remove) stream += `D ${p}\n`;
      stream += `M 100644 inline ${place.write}\n${data(text)}`;
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
  const blobs = await catFileBatch(repo, pairs.map(([blob]) => ({ contents: blob })));
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
