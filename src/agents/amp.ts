import { NO_WIRING, type Agent } from './agent.js';

/** Amp: not wired (no hooks or MCP hand-over used yet); status comes from the screen and the exit. */
export const amp: Agent = {
  name: 'amp',
  // @sourcegraph/amp now only depends on @ampcode/cli (same version). The interactive TUI takes no prompt argument
  // (`amp "<prompt>"` fails: Unknown command). `-x` with no AMP_API_KEY and no `amp login` starts
  // a browser login and waits. In -x, edits are allowed, and shell commands outside amp's allowlist (git commit
  // among them) end the run with exit 1. `threads continue --last` is per checkout; without
  // --last it opens a picker. --dangerously-allow-all is hidden from --help but accepted.
  preset: {
    binary: 'amp',
    interactive: ['amp'],
    interactiveNoPrompt: true,
    headless: ['amp', '-x', '{prompt}'],
    resume: ['amp', 'threads', 'continue', '--last'],
    resumeHeadless: ['amp', 'threads', 'continue', '--last', '-x', '{prompt}'],
    yolo: ['--dangerously-allow-all'],
    checked: '@ampcode/cli 0.0.1790142911-g7618fb',
  },
  wiring: NO_WIRING,
};
