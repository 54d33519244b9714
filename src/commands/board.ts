import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openWorkspace, type Ctx } from '../context.js';
import { attachSession, hasSession } from '../runner/tmux.js';
import type { Leave } from '../board/controller.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd.addHelpText(
    'after',
    `
One live screen for every task: status, the agent's output, its diff, and keys to attach, send,
stop, remove and start tasks. Press ? inside for the keys. Closing the board stops nothing, and
several boards on one repository are fine.

example:
  git superset board`,
  );
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?1049l\x1b[?25h'; // and the cursor back, whatever Ink left

/**
 * Ink checks CI variables once, when it is imported, and then renders only a final frame. The
 * board runs only on a terminal (checked before), so it hides them from Ink's check alone. React
 * picks its production build by NODE_ENV at load time: set for the import only, so the agents
 * the board starts do not inherit it.
 */
async function importInk(): Promise<{ ink: typeof import('ink'); React: typeof import('react'); view: typeof import('../board/view.js') }> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION, NODE_ENV: process.env.NODE_ENV };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  try {
    const [ink, React, view] = await Promise.all([import('ink'), import('react'), import('../board/view.js')]);
    return { ink, React: (React as unknown as { default: typeof import('react') }).default ?? React, view };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

type TtyHandle = { reading?: boolean; readStart?: () => number; readStop?: () => number };
const handleOf = (stdin: NodeJS.ReadStream): TtyHandle | undefined => (stdin as unknown as { _handle?: TtyHandle })._handle;

/**
 * tmux attach reads the same terminal: Node must not. Ink only removes its listener on unmount,
 * and a tty stream keeps its read started, so keys typed into tmux would land in the board's
 * buffer. The read is stopped for the attach and started again for the board's return (the
 * stream itself still waits on the read it asked for, so it would not ask again by itself).
 */
function stopReading(stdin: NodeJS.ReadStream): void {
  const handle = handleOf(stdin);
  if (handle?.readStop && handle.reading !== false) {
    handle.reading = false;
    handle.readStop();
  }
}

function resumeReading(stdin: NodeJS.ReadStream): void {
  const handle = handleOf(stdin);
  if (handle?.readStart && handle.reading === false) {
    handle.reading = true;
    handle.readStart();
  }
}

export async function run(ctx: Ctx): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(msg.board.needsTerminal);
  const ws = await openWorkspace(ctx);
  const { BoardController } = await import('../board/controller.js');
  const out = process.stdout;
  const controller = new BoardController(ws, ctx.cwd, { bell: () => out.write('\x07') });
  // The first task read waits on git while the UI library loads: one overlaps the other.
  const [{ ink, React, view }] = await Promise.all([importInk(), controller.open()]);
  let onScreen = false;
  const restore = () => {
    if (onScreen) out.write(LEAVE_ALT);
    onScreen = false;
  };
  process.on('exit', restore);
  try {
    for (;;) {
      out.write(ENTER_ALT);
      onScreen = true;
      const why = await new Promise<Leave>((resolve) => {
        const app = ink.render(React.createElement(view.Board, { controller }), { exitOnCtrlC: false, patchConsole: false, maxFps: 20 });
        controller.onLeave((leave) => {
          controller.onLeave(null);
          app.unmount();
          void app.waitUntilExit().then(() => resolve(leave));
        });
      });
      restore();
      if (why.kind === 'quit') return 0;
      // The board steps aside for tmux and comes back when the user detaches.
      const session = why.task.tmuxSession;
      if (session && hasSession(session)) {
        stopReading(process.stdin);
        await attachSession(session);
        resumeReading(process.stdin);
      }
      controller.refresh();
    }
  } finally {
    controller.close();
    process.off('exit', restore);
    restore();
  }
}
