import type { Ctx } from '../../src/context.js';

/** A Ctx whose output is kept in strings, for running `main(argv, ctx)` in the test's own process. */
export function bufferCtx(cwd: string, over: Partial<Ctx> = {}): Ctx & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    cwd,
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    columns: 80,
    ...over,
    stdout: () => out,
    stderr: () => err,
  };
}
