import { UserError } from '../errors.js';
import * as msg from '../messages.js';

export const MAX_TASK_NAME = 64;

/**
 * git's pseudo-refs and the files it keeps beside them in the git dir (HEAD, FETCH_HEAD, ORIG_HEAD,
 * MERGE_HEAD, CHERRY_PICK_HEAD, REBASE_HEAD, BISECT_HEAD, AUTO_MERGE, ...): a task, worktree or
 * argument by that name is read as git's own (git's own rule: upper case and '_' only).
 */
const GIT_SPECIAL_NAME = /^(([A-Z]+_)*HEAD|AUTO_MERGE|BISECT_[A-Z_]+)$/;

/**
 * Why a task name is unsafe, or null when it is fine. A task name becomes a ref component,
 * a directory name and a tmux session name, so it is held to the strictest of the three.
 */
export function taskNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_TASK_NAME) return `is longer than ${MAX_TASK_NAME} characters`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  if (/\s/.test(name)) return 'contains white space';
  if (name.includes('/') || name.includes('\\')) return 'contains a slash';
  if (name.includes('..')) return "contains '..'";
  if (name.includes('@{')) return "contains '@{'";
  if (name.startsWith('-')) return "starts with '-'";
  if (name.startsWith('.')) return "starts with '.'";
  if (name.endsWith('.')) return "ends with '.'";
  if (name.endsWith('.lock')) return "ends with '.lock'";
  if (name === '@' || GIT_SPECIAL_NAME.test(name)) return "is one of git's special names (HEAD, FETCH_HEAD, ORIG_HEAD, MERGE_HEAD, ...)";
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'may only contain letters, digits, ".", "_" and "-"';
  return null;
}

export function assertTaskName(name: string): string {
  const problem = taskNameProblem(name);
  if (problem) throw new UserError(msg.task.invalidName(name, problem));
  return name;
}
