import { UserError } from '../errors.js';

/**
 * Linux refuses (E2BIG) to exec a program with any one argument or environment string longer
 * than MAX_ARG_STRLEN: 32 pages, 131072 bytes, its terminating NUL included. The prompt reaches
 * the agent as one argument and as $SUPERSET_PROMPT, so it must fit in both.
 */
export const MAX_ARG_STRLEN = 131072;
const PROMPT_ENV = 'SUPERSET_PROMPT=';
/** The longest prompt, in bytes, that can be one argument and the value of $SUPERSET_PROMPT. */
export const MAX_PROMPT_BYTES = MAX_ARG_STRLEN - 1 - PROMPT_ENV.length;

const ADVICE = 'put it in a file in the repository and give a short prompt that names it ("Read TASK.md and do what it says")';

/** Why this prompt cannot be handed to an agent, or null. Pure. */
export function promptProblem(prompt: string | undefined): string | null {
  if (prompt === undefined) return null;
  if (prompt.includes('\0')) return 'the prompt contains a NUL byte, which no program argument can hold: remove it';
  const bytes = Buffer.byteLength(prompt);
  if (bytes <= MAX_PROMPT_BYTES) return null;
  return `the prompt is ${bytes} bytes, over the ${MAX_PROMPT_BYTES} an agent can take as one argument (Linux MAX_ARG_STRLEN, 128 KiB): ${ADVICE}`;
}

/** The same for every word of the agent's command line (a `{prompt=--flag}` word is longer than the prompt). Pure. */
export function argvProblem(argv: readonly string[]): string | null {
  for (const word of argv) {
    if (word.includes('\0')) return 'the agent command line contains a NUL byte, which no program argument can hold';
    const bytes = Buffer.byteLength(word);
    if (bytes >= MAX_ARG_STRLEN) return `an argument of the agent is ${bytes} bytes, over the ${MAX_ARG_STRLEN - 1} one argument can hold (Linux MAX_ARG_STRLEN): ${ADVICE}`;
  }
  return null;
}

export function assertLaunchable(argv: readonly string[], prompt: string | undefined): void {
  const problem = promptProblem(prompt) ?? argvProblem(argv);
  if (problem) throw new UserError(problem);
}
