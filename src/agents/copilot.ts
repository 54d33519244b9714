import { NO_WIRING, type Agent } from './agent.js';

/** GitHub Copilot CLI: not wired yet; status comes from the screen and the exit. */
export const copilot: Agent = {
  name: 'copilot',
  // -i needs a value, so use the flagged slot. With -p and no allow rule, every tool that needs
  // approval is denied. `--allow-tool=write` allows file writes but not shell (the `=` stops the
  // variadic option from taking the next word). --allow-all = tools + paths + URLs.
  // No resume form: --help does not say that --continue is per directory, so it may pick another
  // worktree's session. Needs COPILOT_GITHUB_TOKEN/GH_TOKEN or a prior /login.
  preset: {
    binary: 'copilot',
    interactive: ['copilot', '{prompt=--interactive}'],
    headless: ['copilot', '--allow-tool=write', '{prompt=--prompt}'],
    resume: null,
    resumeHeadless: null,
    yolo: ['--allow-all'],
    checked: '@github/copilot 1.0.102',
  },
  wiring: NO_WIRING,
};
