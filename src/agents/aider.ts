import { NO_WIRING, type Agent } from './agent.js';

/** Aider: no hook system we know of, no MCP support; status comes from the screen and the exit. */
export const aider: Agent = {
  name: 'aider',
  // Not checked: aider is the pip package aider-chat, and the npm package "aider" is something else.
  // These forms come from other orchestrators. `--message` exits after one message.
  preset: {
    binary: 'aider',
    interactive: ['aider', '{prompt=--message}'],
    headless: ['aider', '{prompt=--message}'],
    // no resume form known (the forms are unchecked)
    resume: null,
    resumeHeadless: null,
    yolo: ['--yes-always'],
    checked: 'unchecked: pip aider-chat, not on npm',
  },
  wiring: NO_WIRING,
};
