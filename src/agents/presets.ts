/**
 * Launch forms of the agent CLIs we know. Each word list is an argv (never a shell string);
 * the word `{prompt}` is replaced by the prompt as one argument, or dropped when there is none;
 * `{prompt:-i}` is an option that takes the prompt as its value: `-i <prompt>`, or nothing without one;
 * `{prompt=--prompt}` is the one word `--prompt=<prompt>`. Every form keeps a prompt that starts
 * with `-` (a markdown list item) from being parsed as an option: `--` before `{prompt}`, or the
 * `=` form for CLIs that take the prompt as an option value (checked: gemini 0.61.0 and copilot
 * 1.0.102 reject `-p "- fix"` but accept `--prompt=- fix`).
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
  /** The interactive form has no way to take a prompt (amp's TUI reads it from the keyboard). */
  interactiveNoPrompt?: boolean;
}

export const PRESETS: Record<string, AgentPreset> = {
  // Headless `--permission-mode acceptEdits` accepts file edits only: `git commit` and other
  // commands are denied. --dangerously-skip-permissions wins over --permission-mode when both
  // are given, and is refused as root unless IS_SANDBOX=1. `--continue` is per directory.
  // Same forms in 2.1.197.
  claude: {
    binary: 'claude',
    interactive: ['claude', '--', '{prompt}'],
    headless: ['claude', '-p', '--permission-mode', 'acceptEdits', '--', '{prompt}'],
    resume: ['claude', '--continue'],
    resumeHeadless: ['claude', '--continue', '-p', '--permission-mode', 'acceptEdits', '--', '{prompt}'],
    yolo: ['--dangerously-skip-permissions'],
    checked: '@anthropic-ai/claude-code 2.1.332',
  },
  // `codex exec` is read-only unless given -s, and so is `codex exec resume`, which has no -s of its own:
  // it goes before `resume`. In -s workspace-write `.git` is read-only, and a linked worktree's
  // git dir lies outside the workspace, so the agent cannot commit. The yolo flag placed
  // before `exec` overrides -s (danger-full-access). `resume --last` only picks sessions from this
  // directory, and only interactive ones unless --include-non-interactive is given.
  codex: {
    binary: 'codex',
    interactive: ['codex', '--', '{prompt}'],
    headless: ['codex', 'exec', '-s', 'workspace-write', '--', '{prompt}'],
    resume: ['codex', 'resume', '--last', '--include-non-interactive'],
    resumeHeadless: ['codex', 'exec', '-s', 'workspace-write', 'resume', '--last', '--', '{prompt}'],
    yolo: ['--dangerously-bypass-approvals-and-sandbox'],
    checked: '@openai/codex 0.169.0',
  },
  // Headless `--allowed-tools=write_file,replace` allows edits inside the workspace only, with no shell.
  // It matches --approval-mode=auto_edit, but that cannot be combined with --yolo: gemini exits 1.
  // `--allowed-tools` prints a deprecation warning on stderr. An untrusted folder makes headless runs exit 55 and
  // turns --yolo back to default: trust the worktrees' parent folder, or set GEMINI_CLI_TRUST_WORKSPACE=true.
  // The yolo words include --skip-trust.
  gemini: {
    binary: 'gemini',
    interactive: ['gemini', '{prompt=--prompt-interactive}'],
    headless: ['gemini', '--allowed-tools=write_file,replace', '{prompt=--prompt}'],
    resume: ['gemini', '--resume', 'latest'],
    resumeHeadless: ['gemini', '--resume', 'latest', '--allowed-tools=write_file,replace', '{prompt=--prompt}'],
    yolo: ['--yolo', '--skip-trust'],
    checked: '@google/gemini-cli 0.61.0',
  },
  // There is no middle mode. By default `opencode run` already allows edits and shell commands, and
  // rejects the rest (other directories, .env reads). Use `--auto=true`, not `--auto`: before `run`,
  // a bare `--auto` eats the next word, and opencode prints its help and exits 1. `-c` is per directory.
  opencode: {
    binary: 'opencode',
    interactive: ['opencode', '{prompt=--prompt}'],
    headless: ['opencode', 'run', '--', '{prompt}'],
    resume: ['opencode', '-c'],
    resumeHeadless: ['opencode', 'run', '-c', '--', '{prompt}'],
    yolo: ['--auto=true'],
    checked: 'opencode-ai 1.18.33',
  },
  // Not checked: aider is the pip package aider-chat, and the npm package "aider" is something else.
  // These forms come from other orchestrators. `--message` exits after one message.
  aider: {
    binary: 'aider',
    interactive: ['aider', '{prompt=--message}'],
    headless: ['aider', '{prompt=--message}'],
    yolo: ['--yes-always'],
    checked: 'unchecked: pip aider-chat, not on npm',
  },
  // @sourcegraph/amp now only depends on @ampcode/cli (same version). The interactive TUI takes no prompt argument
  // (`amp "<prompt>"` fails: Unknown command). `-x` with no AMP_API_KEY and no `amp login` starts
  // a browser login and waits. In -x, edits are allowed, and shell commands outside amp's allowlist (git commit
  // among them) end the run with exit 1. `threads continue --last` is per checkout; without
  // --last it opens a picker. --dangerously-allow-all is hidden from --help but accepted.
  amp: {
    binary: 'amp',
    interactive: ['amp'],
    interactiveNoPrompt: true,
    headless: ['amp', '-x', '{prompt}'],
    resume: ['amp', 'threads', 'continue', '--last'],
    resumeHeadless: ['amp', 'threads', 'continue', '--last', '-x', '{prompt}'],
    yolo: ['--dangerously-allow-all'],
    checked: '@ampcode/cli 0.0.1790142911-g7618fb',
  },
  // Not checked: Cursor's CLI comes from Cursor's own installer, not npm; the npm package "cursor-agent" is something else.
  // These forms come from other orchestrators.
  'cursor-agent': {
    binary: 'cursor-agent',
    // `--` (end of options) is unverified here, as is the rest; every common parser honours it.
    interactive: ['cursor-agent', '--', '{prompt}'],
    headless: ['cursor-agent', '-p', '--', '{prompt}'],
    yolo: ['--force'],
    checked: 'unchecked: not on npm',
  },
  // -i needs a value, so use the flagged slot. With -p and no allow rule, every tool that needs
  // approval is denied. `--allow-tool=write` allows file writes but not shell (the `=` stops the
  // variadic option from taking the next word). --allow-all = tools + paths + URLs.
  // No resume form: --help does not say that --continue is per directory, so it may pick another
  // worktree's session. Needs COPILOT_GITHUB_TOKEN/GH_TOKEN or a prior /login.
  copilot: {
    binary: 'copilot',
    interactive: ['copilot', '{prompt=--interactive}'],
    headless: ['copilot', '--allow-tool=write', '{prompt=--prompt}'],
    yolo: ['--allow-all'],
    checked: '@github/copilot 1.0.102',
  },
};
