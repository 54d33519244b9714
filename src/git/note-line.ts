/**
 * The format of refs/notes/superset: one event per line, a JSON object whose first two keys are
 * `t` (UTC ISO time to the millisecond) and `v` (schema version). Lines are the unit of merge:
 * `git notes merge -s cat_sort_uniq` sorts lines and drops blank and duplicate ones, and since
 * every line starts with `{"t":"<fixed-width time>"` sorted order is time order. "Latest" is
 * always decided by `t`, never by line order. Pure functions only.
 */
export const NOTE_VERSION = 1;
export const NOTES_REF = 'refs/notes/superset';

export type NoteEventName = 'queued' | 'blocked' | 'launch-failed' | 'started' | 'commit' | 'exited' | 'stopped' | 'merged' | 'removed';

export interface NoteEvent {
  t: string;
  v: typeof NOTE_VERSION;
  task: string;
  /** One of NoteEventName; unknown names from newer versions are kept, not dropped. */
  event: string;
  agent?: string;
  /** done / failed / stopped (on `exited`). */
  status?: string;
  exitCode?: number | null;
  /** The commit an event is about, when it is not the commit the note is attached to. */
  commit?: string;
  [key: string]: unknown;
}

/** An event as callers build it: time and version are filled in. */
export type NewNoteEvent = Omit<NoteEvent, 't' | 'v'> & { t?: string };

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** `t` and `v` first, so that a line's sort order is its time order. No newline. */
export function noteLine(event: NewNoteEvent, now: Date = new Date()): string {
  const { t, task, event: name, ...rest } = event;
  const time = t ?? now.toISOString();
  if (!ISO_MS.test(time)) throw new Error(`note time must be UTC ISO with milliseconds: ${time}`);
  const { v: _ignored, ...fields } = rest as Record<string, unknown>;
  return JSON.stringify({ t: time, v: NOTE_VERSION, task, event: name, ...fields });
}

/** One line, or null when it is blank, not JSON, or not a version this code understands. */
export function parseNoteLine(line: string): NoteEvent | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const e = value as Record<string, unknown>;
  if (e.v !== NOTE_VERSION || typeof e.t !== 'string' || !ISO_MS.test(e.t)) return null;
  if (typeof e.task !== 'string' || !e.task || typeof e.event !== 'string' || !e.event) return null;
  return e as NoteEvent;
}

/** Every readable event in a note, in line order; blank, broken and unknown-version lines are skipped. */
export function parseNoteLines(text: string): NoteEvent[] {
  const events: NoteEvent[] = [];
  for (const line of text.split('\n')) {
    const e = parseNoteLine(line);
    if (e) events.push(e);
  }
  return events;
}

/** Oldest first; equal times keep their input order (Array.prototype.sort is stable). */
export function byTime(a: Pick<NoteEvent, 't'>, b: Pick<NoteEvent, 't'>): number {
  return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
}

/** The event with the greatest time (the later one in input order on a tie), optionally filtered. */
export function latestEvent<E extends NoteEvent>(events: readonly E[], keep: (e: E) => boolean = () => true): E | undefined {
  let latest: E | undefined;
  for (const e of events) if (keep(e) && (!latest || e.t >= latest.t)) latest = e;
  return latest;
}

/**
 * What `git notes merge -s cat_sort_uniq` makes of several versions of one note: all lines,
 * sorted, blank and duplicate lines dropped. Used to reason about (and test) merges.
 */
export function catSortUniq(...texts: string[]): string {
  const lines = new Set(texts.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== ''));
  const sorted = [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.length ? sorted.join('\n') + '\n' : '';
}

/**
 * What makes two lines the same event: a `commit` event is one per task and annotated commit (the
 * hook and a scan may both see a commit), any other event is its line.
 */
export function eventKey(line: string): string {
  const e = parseNoteLine(line);
  return e?.event === 'commit' ? `commit\0${e.task}` : line.trim();
}

/**
 * The text every writer stores for one note: the lines already there (from every path the note
 * was found at) plus the new ones, each event once (eventKey; a hook's `commit` line wins over a
 * scan's), blank lines dropped, sorted (time order, and what `cat_sort_uniq` makes of it). Pure.
 */
export function mergeNoteText(existing: readonly string[], added: readonly string[]): string {
  const chosen = new Map<string, string>();
  for (const line of [...existing.flatMap((t) => t.split('\n')), ...added]) {
    const text = line.trim();
    if (!text) continue;
    const key = eventKey(text);
    const seen = chosen.get(key);
    if (seen === undefined || (key.startsWith('commit\0') && parseNoteLine(seen)?.via === 'scan' && parseNoteLine(text)?.via !== 'scan')) {
      chosen.set(key, text);
    }
  }
  return catSortUniq([...chosen.values()].join('\n'));
}
