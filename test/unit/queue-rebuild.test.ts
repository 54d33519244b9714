import { describe, expect, it } from 'vitest';
import { recordFromEvents } from '../../src/task/queue-rebuild.js';
import { cloneIdentity } from '../../src/task/clone.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { repoAt } from '../../src/git/repo.js';
import type { NoteRecord } from '../../src/git/notes.js';

const repo = repoAt('/r', '/r/.git');
const queued = (extra: Record<string, unknown> = {}): NoteRecord =>
  ({ t: '2026-12-01T10:00:00.000Z', v: 1, task: 'q', event: 'queued', agent: 'claude', runner: 'headless', base: 'main', queueIndex: 3, on: 'a'.repeat(40), ...extra }) as NoteRecord;

describe('rebuilding a queued task from its events', () => {
  it('rebuilds one queued in this clone, and one queued before clones were recorded', () => {
    expect(recordFromEvents(repo, DEFAULT_CONFIG, 'q', [queued({ clone: 'here' })], 'here')).toMatchObject({ name: 'q', status: 'queued', queueIndex: 3 });
    expect(recordFromEvents(repo, DEFAULT_CONFIG, 'q', [queued()], 'here')).toMatchObject({ status: 'queued' });
  });

  it("never one queued in another clone (a teammate's queue that came with sync)", () => {
    expect(recordFromEvents(repo, DEFAULT_CONFIG, 'q', [queued({ clone: 'there' })], 'here')).toBeNull();
    const blocked = { ...queued(), t: '2026-12-01T10:01:00.000Z', event: 'blocked', reason: 'a failed' } as NoteRecord;
    expect(recordFromEvents(repo, DEFAULT_CONFIG, 'q', [queued({ clone: 'there' }), blocked], 'here')).toBeNull();
  });

  it('a clone is the machine, the git dir and its inode', () => {
    const id = cloneIdentity('box', '/r/.git', 42);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(cloneIdentity('box', '/r/.git', 42)).toBe(id);
    expect(new Set([id, cloneIdentity('other-box', '/r/.git', 42), cloneIdentity('box', '/s/.git', 42), cloneIdentity('box', '/r/.git', 43)]).size).toBe(4);
  });
});
