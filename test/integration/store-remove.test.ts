import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TaskStore } from '../../src/task/store.js';
import { useRecordRepo, writeRecord } from '../support/record-repo.js';

const fx = useRecordRepo();

describe('TaskStore.remove', () => {
  it("takes every file of the task: record, exit, the wrapper's reserved exit blocks and fallback, log", () => {
    writeRecord(fx, 'k', 'stopped');
    writeRecord(fx, 'other', 'stopped');
    const store = new TaskStore(fx.repo);
    // an agent killed before it wrote its exit leaves agent-run.sh's files behind
    fs.writeFileSync(`${store.exitFile('k')}.pending`, `${' '.repeat(128)}\n`);
    fs.writeFileSync(`${store.exitFile('k')}.tmp`, '{"exitCode":0}\n');
    fs.mkdirSync(fx.repo.stateDir + '/logs', { recursive: true });
    fs.writeFileSync(store.logFile('k'), 'output\n');
    store.remove('k');
    expect(fs.readdirSync(store.dir).filter((f) => f.startsWith('k.'))).toEqual([]);
    expect(fs.existsSync(store.logFile('k'))).toBe(false);
    expect(store.read('other')).not.toBeNull();
  });
});
