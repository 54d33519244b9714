/**
 * Launch forms of the agent CLIs we know. Each word list is an argv (never a shell string);
 * the word `{prompt}` is replaced by the prompt as one argument, or dropped when there is none;
 * `{prompt:-i}` is an option that takes the prompt as its value: `-i <prompt>`, or nothing without one.
 * `yolo` words are inserted after the binary only when the user opts in (--yolo / `yolo: true`).
 * `checked` names the package version whose --help these forms were checked against.
 */
export interface AgentPreset {
  binary: string;
  interactive: string[];
  headless: string[];
  /** Interactive form that continues the last conversation in the worktree. */
  resume?: string[];
  /** Headless form that continues the last conversation. */
  resumeHeadless?: string[];
  yolo: string[];
  checked: string;
}

export const PRESETS: Record<string, AgentPreset> = {
  claude: {
    binary: 'claude',
    interactive: ['claude', '{prompt}'],
    headless: ['claude', '-p', '--permission-mode', 'acceptEdits', '{prompt}'],
    resume: ['claude', '--continue'],
    resumeHeadless: ['claude', '--continue', '-p', '--permission-mode', 'acceptEdits', '{prompt}'],
    yolo: ['--dangerously-skip-permissions'],
    checked: '@anthropic-ai/claude-code 2.1.197',
  },
  codex: {
    binary: 'codex',
    interactive: ['codex', '{prompt}'],
    headless: ['codex', 'exec', '-s', 'workspace-write', '{prompt}'],
    resume: ['codex', 'resume', '--last'],
    resumeHeadless: ['codex', 'exec', 'resume', '--last', '{prompt}'],
    yolo: ['--dangerously-bypass-approvals-and-sandbox'],
    checked: '@openai/codex 0.169.0',
  },
  gemini: {
    binary: 'gemini',
    interactive: ['gemini', '{prompt:-i}'],
    headless: ['gemini', '--approval-mode=auto_edit', '-p', '{prompt}'],
    resume: ['gemini', '--resume', 'latest'],
    resumeHeadless: ['gemini', '--resume', 'latest', '--approval-mode=auto_edit', '-p', '{prompt}'],
    yolo: ['--yolo'],
    checked: '@google/gemini-cli 0.61.0',
  },
  opencode: {
    binary: 'opencode',
    interactive: ['opencode', '{prompt:--prompt}'],
    headless: ['opencode', 'run', '{prompt}'],
    resume: ['opencode', '-c'],
    resumeHeadless: ['opencode', 'run', '-c', '{prompt}'],
    yolo: ['--auto'],
    checked: 'opencode-ai 1.18.33',
  },
  aider: {
    binary: 'aider',
    interactive: ['aider', '{prompt:--message}'],
    headless: ['aider', '--message', '{prompt}'],
    yolo: ['--yes-always'],
    checked: 'unchecked',
  },
  amp: {
    binary: 'amp',
    interactive: ['amp'],
    headless: ['amp', '-x', '{prompt}'],
    resume: ['amp', 'threads', 'continue'],
    yolo: ['--dangerously-allow-all'],
    checked: 'unchecked',
  },
  'cursor-agent': {
    binary: 'cursor-agent',
    interactive: ['cursor-agent', '{prompt}'],
    headless: ['cursor-agent', '-p', '{prompt}'],
    yolo: ['--force'],
    checked: 'unchecked',
  },
  copilot: {
    binary: 'copilot',
    interactive: ['copilot', '{prompt:-i}'],
    headless: ['copilot', '-p', '{prompt}'],
    yolo: ['--allow-all-tools'],
    checked: 'unchecked',
  },
};
