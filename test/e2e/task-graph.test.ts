import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { argvAgent, created, NOTHING, useAgentRepo } from './_agents.js';

// Dependencies between tasks (`start b --after a`, `(after: a)` in a --from file). The refusals:
// a cycle or an unknown prerequisite creates nothing at all.
const fx = useAgentRepo();

/** Everything start could have made, git's refs and notes included. */
function everything(repo: typeof fx.repo) {
  return { ...created(repo), refs: repo.git('for-each-ref', '--format=%(refname)').split('\n').filter((r) => !r.startsWith('refs/heads/main')), superset: fs.existsSync(path.join(repo.root, '.git', 'superset', 'tasks')) };
}
const NONE = { ...NOTHING, refs: [], superset: false };

describe('start --after: refused before anything is made', () => {
  it('a cycle in a --from file: one line naming it, exit 2, nothing created', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    fs.writeFileSync(path.join(repo.dir, 'tasks.md'), '## a\nafter: c\nthe api\n\n## b\nafter: a\nthe client\n\n## c\nafter: b\nthe docs\n');
    const res = cli(repo.root, ['start', '--from', path.join(repo.dir, 'tasks.md'), '--agent', agent.bin, '--headless'], env);
    expect(res.stderr).toBe('git superset: dependency cycle: a -> b -> c -> a\n');
    expect(res.code).toBe(2);
    expect(everything(repo)).toEqual(NONE);
    expect(repo.git('notes', '--ref', 'superset', 'list')).toBe('');
  });

  it('a cycle in line form', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    fs.writeFileSync(path.join(repo.dir, 'tasks.txt'), 'a: one (after: b)\nb: two (after: a)\n');
    const res = cli(repo.root, ['start', '--from', path.join(repo.dir, 'tasks.txt'), '--agent', agent.bin, '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: dependency cycle: a -> b -> a\n']);
    expect(everything(repo)).toEqual(NONE);
  });

  it('an unknown prerequisite, and a task after itself', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    let res = cli(repo.root, ['start', 'b', '--after', 'nope', '--agent', agent.bin, '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: b is after nope, which is not a task (start nope too, or in the same batch)\n']);
    res = cli(repo.root, ['start', 'a', 'b', '--after', 'a', '--agent', agent.bin, '--headless'], env);
    expect([res.code, res.stderr]).toEqual([2, 'git superset: a cannot run after itself\n']);
    expect(everything(repo)).toEqual(NONE);
  });

  it('a prerequisite name that is no task name', () => {
    const { repo, env } = fx;
    const agent = argvAgent(repo);
    const res = cli(repo.root, ['start', 'b', '--after', 'ok,../x', '--agent', agent.bin, '--headless'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: invalid prerequisite "../x": a task name that contains a slash\n');
    expect(everything(repo)).toEqual(NONE);
  });
});
