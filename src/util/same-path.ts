import fs from 'node:fs';
import path from 'node:path';

/** Whether two paths name the same place: equal once resolved, or once links are followed (a worktree under a symlinked /tmp). */
export function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
