import { spawnSync } from 'node:child_process';
import { BIN, testEnv } from '../support/repo.js';
import { waitFor } from '../support/cli.js';

/** The variables the board needs from the test environment, handed to its tmux pane with -e. */
const PASSED = ['PATH', 'HOME', 'TZ', 'CI', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_GLOBAL', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_EDITOR'];

export interface BoardPane {
  /** The pane's text now, one string per line. */
  screen: () => string[];
  /** Waits until some line matches (or the predicate holds for the whole screen); returns the screen. */
  waitScreen: (test: RegExp | ((lines: string[]) => boolean), what: string, timeoutMs?: number) => Promise<string[]>;
  /** tmux key names (Enter, Escape, Down, ...) or single characters. */
  keys: (...keys: string[]) => void;
  /** Text typed literally. */
  type: (text: string) => void;
  /** The board's exit status once it exited (the pane's shell prints it), whether the pane is in the alternate screen, whether its cursor shows. */
  pane: () => { exited: number | null; alternate: boolean; cursor: boolean };
  /** The list's task names, top to bottom, as drawn. */
  rows: () => string[];
  /** Kills the pane's session (the board with it), so another board can be opened. */
  close: () => void;
}

/**
 * `git superset board` in a real tmux pane of the test's private server, sized width x height;
 * read with capture-pane and driven with send-keys. A shell around it prints its exit status and
 * keeps the pane alive, so the terminal state it leaves behind can be read (paths come in as
 * positional parameters, never inside the script).
 */
export function openBoard(cwd: string, env: Record<string, string>, width = 160, height = 40, paneSocket?: string): BoardPane {
  // The pane may live on another tmux server than the tasks (a terminal that is not theirs, for attach).
  const socket = paneSocket ?? env.SUPERSET_TMUX_SOCKET!;
  const full = testEnv(env);
  const vars = [...PASSED, ...Object.keys(env)].filter((k) => full[k] !== undefined).flatMap((k) => ['-e', `${k}=${full[k]}`]);
  const t = (args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: full });
  const res = t(['new-session', '-d', '-s', 'board', '-x', String(width), '-y', String(height), '-c', cwd, ...vars, '--', 'sh', '-c', '"$0" "$1" board; echo "board exited $?"; exec sleep 600', process.execPath, BIN]);
  if (res.status !== 0) throw new Error(`tmux new-session: ${res.stderr}`);
  const screen = () => t(['capture-pane', '-p', '-t', 'board']).stdout.split('\n');
  const board: BoardPane = {
    screen,
    waitScreen: async (test, what, timeoutMs = 15_000) => {
      const ok = (lines: string[]) => (typeof test === 'function' ? test(lines) : lines.some((l) => test.test(l)));
      try {
        return await waitFor(() => {
          const lines = screen();
          return ok(lines) ? lines : undefined;
        }, timeoutMs, what);
      } catch (e) {
        throw new Error(`${(e as Error).message} (pane ${JSON.stringify(board.pane())}); the screen was:\n${screen().join("\n")}`);
      }
    },
    keys: (...keys) => void t(['send-keys', '-t', 'board', ...keys]),
    type: (text) => void t(['send-keys', '-t', 'board', '-l', text]),
    pane: () => {
      const [alternate, cursor] = t(['display-message', '-p', '-t', 'board', '#{alternate_on} #{cursor_flag}']).stdout.trim().split(' ');
      const exited = screen().map((l) => /^board exited (\d+)$/.exec(l)?.[1]).find((c) => c !== undefined);
      return { exited: exited === undefined ? null : Number(exited), alternate: alternate === '1', cursor: cursor === '1' };
    },
    rows: () =>
      screen()
        .slice(2)
        .map((l) => /^[> ]\S \S+\s+(\S+)/.exec(l)?.[1])
        .filter((n): n is string => Boolean(n)),
    close: () => void t(['kill-session', '-t', 'board']),
  };
  return board;
}
