import { describe, expect, it } from 'vitest';
import { taskNameProblem, assertTaskName } from '../../src/task/name.js';

describe('task names', () => {
  it.each(['auth', 'fix-login', 'v1.2_fix', 'A9', 'x'.repeat(64), 'head', 'fix_head', 'forehead', 'HEADS', 'HEAD-x'])('accepts %s', (name) => {
    expect(taskNameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['../x', "contains a slash"],
    ['..', "contains '..'"],
    ['a..b', "contains '..'"],
    ['-x', "starts with '-'"],
    ['.hidden', "starts with '.'"],
    ['x.lock', "ends with '.lock'"],
    ['x.', "ends with '.'"],
    ['a b', 'contains white space'],
    ['a/b', 'contains a slash'],
    ['a\\b', 'contains a slash'],
    ['a\u0007b', 'contains a control character'],
    ['a@{1}', "contains '@{'"],
    ['x'.repeat(65), 'is longer than 64 characters'],
    ...['HEAD', 'FETCH_HEAD', 'ORIG_HEAD', 'MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'REBASE_HEAD', 'BISECT_HEAD', 'AUTO_MERGE', 'BISECT_LOG'].map(
      (n) => [n, "is one of git's special names"],
    ),
    ['@', "is one of git's special names"],
    ['a~1', 'may only contain'],
    ['a:b', 'may only contain'],
    ['a*', 'may only contain'],
  ])('rejects %j (%s)', (name, why) => {
    expect(taskNameProblem(name)).toContain(why);
    expect(() => assertTaskName(name)).toThrow(/invalid task name/);
  });
});
