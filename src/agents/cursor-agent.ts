import { NO_WIRING, type Agent } from './agent.js';

/** Cursor's CLI: not wired (unchecked here); status comes from the screen and the exit. */
export const cursorAgent: Agent = {
  name: 'cursor-agent',
  // Not checked: Cursor's CLI comes from Cursor's own installer, not npm; the npm package "cursor-agent" is something else.
  // These forms come from other orchestrators.
  preset: {
    binary: 'cursor-agent',
    // `--` (end of options) is unverified here, as is the rest; every common parser honours it.
    interactive: ['cursor-agent', '--', '{prompt}'],
    headless: ['cursor-agent', '-p', '--', '{prompt}'],
    // no resume form checked
    resume: null,
    resumeHeadless: null,
    yolo: ['--force'],
    checked: 'unchecked: not on npm',
  },
  wiring: NO_WIRING,
};
