import path from 'node:path';
import { splitCommandLine } from '../agents/command-line.js';

/** Editors that open a window of their own (VS Code and its forks, JetBrains launchers, Zed, Xcode, Sublime). */
export const GUI_EDITORS = ['code', 'cursor', 'windsurf', 'zed', 'idea', 'webstorm', 'pycharm', 'goland', 'clion', 'rider', 'phpstorm', 'rubymine', 'rustrover', 'fleet', 'xed', 'subl'];
/** Editors that take over a terminal. */
export const TERMINAL_EDITORS = ['vim', 'nvim', 'vi', 'emacs', 'nano', 'hx', 'helix', 'micro', 'kak', 'mg', 'joe'];

export interface EditorChoice {
  argv: string[];
  /** Where the choice came from, for the error when it is missing. */
  from: string;
  terminal: boolean;
}

/**
 * The editor to open a worktree with: --editor, config `editor`, $VISUAL, $EDITOR, else the first
 * known GUI editor on PATH. A value is a command line (`code -n`, `emacs -nw`); the worktree path
 * is appended as the last argument. Pure but for `onPath`.
 */
export function chooseEditor(
  sources: { flag?: string; config?: string | null; visual?: string; editor?: string },
  onPath: (binary: string) => boolean,
): EditorChoice | null {
  const given: [string | null | undefined, string][] = [
    [sources.flag, '--editor'],
    [sources.config, 'config editor'],
    [sources.visual, '$VISUAL'],
    [sources.editor, '$EDITOR'],
  ];
  for (const [value, from] of given) {
    if (!value || !value.trim()) continue;
    const argv = splitCommandLine(value);
    return { argv, from, terminal: isTerminalEditor(argv) };
  }
  const found = GUI_EDITORS.find(onPath);
  return found ? { argv: [found], from: 'PATH', terminal: false } : null;
}

/** emacs is a terminal editor only with -nw / -t; the others always are. */
export function isTerminalEditor(argv: readonly string[]): boolean {
  const bin = path.basename(argv[0] ?? '');
  if (bin === 'emacs') return argv.includes('-nw') || argv.includes('-t') || argv.includes('--no-window-system');
  return TERMINAL_EDITORS.includes(bin);
}
