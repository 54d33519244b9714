/**
 * Who git superset is when it commits itself: snapshots and dependent tasks' base merges always
 * (machine-made), an agent's leftovers and notes commits only where the user has no git identity
 * (failing there would lose the agent's work or its record). One name and address for all.
 */
export const MACHINE_NAME = 'git superset';
export const MACHINE_EMAIL = 'git-superset@localhost';

/** `Name <email>`, as git's ident lines and fast-import's `committer` want it. */
export const MACHINE_IDENT = `${MACHINE_NAME} <${MACHINE_EMAIL}>`;

/** The environment that makes git commit as us. */
export const MACHINE_IDENTITY = {
  GIT_AUTHOR_NAME: MACHINE_NAME,
  GIT_AUTHOR_EMAIL: MACHINE_EMAIL,
  GIT_COMMITTER_NAME: MACHINE_NAME,
  GIT_COMMITTER_EMAIL: MACHINE_EMAIL,
};
