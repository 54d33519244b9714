import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openWorkspace, type Ctx } from '../context.js';
import { attachSession, hasSession } from '../runner/tmux.js';
import type { Leave } from '../board/controller.js';
import * as msg from '../messages.js';

/** The shortest time between two frames. */
const FRAME_MS = 30;

export function define(cmd: Command): void {
  cmd.addHelpText(
    'after',
    `
One live screen for every task: status, the agent's output, its diff, and keys to attach, send,
stop, remove, merge and start tasks and to open one in your editor. Press ? inside for the keys. Closing the board stops nothing, and
several boards on one repository are fine.

example:
  git superset board`,
  );
}

export async function run(ctx: Ctx): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(msg.board.needsTerminal);
  const ws = await openWorkspace(ctx);
  const [{ BoardController }, { Terminal }, { frame, layout, listHeightOf }] = await Promise.all([
    import('../board/controller.js'),
    import('../board/terminal.js'),
    import('../board/view.js'),
  ]);
  const term = new Terminal(process.stdin, process.stdout);
  const controller = new BoardController(ws, ctx.cwd, { bell: () => process.stdout.write('\x07'), editor: { visual: process.env.VISUAL, editor: process.env.EDITOR } });
  const restore = () => term.leave();
  process.on('exit', restore);
  // Killed (the terminal closed, kill): the terminal is given back before Node's default exit.
  const onSignal = (sig: NodeJS.Signals) => {
    // Ctrl-C typed to a program the board handed the terminal to is that program's
    if (sig === 'SIGINT' && !term.active) return;
    restore();
    process.exit(128 + (sig === 'SIGHUP' ? 1 : sig === 'SIGINT' ? 2 : 15));
  };
  const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
  for (const sig of SIGNALS) process.on(sig, onSignal);
  try {
    await controller.open();
    for (;;) {
      const why = await new Promise<Leave>((resolve) => {
        // Frames follow the controller's changes, at most one per FRAME_MS: a burst of record
        // writes or keys is drawn once.
        let timer: NodeJS.Timeout | null = null;
        let drawnAt = 0;
        const draw = () => {
          timer = null;
          drawnAt = Date.now();
          term.draw(frame(controller.snapshot(), term.width, term.height));
        };
        const schedule = () => {
          timer ??= setTimeout(draw, Math.max(0, drawnAt + FRAME_MS - Date.now()));
        };
        const fitList = () => {
          const want = listHeightOf(layout(term.width, term.height));
          if (controller.snapshot().state.listHeight !== want) controller.dispatch({ kind: 'resize', listHeight: want });
        };
        const unsubscribe = controller.subscribe(schedule);
        term.enter(
          (keys) => {
            for (const key of keys) controller.dispatch({ kind: 'key', key: key.ctrl && key.input === 'c' ? { input: 'q' } : key });
          },
          () => {
            fitList();
            schedule();
          },
        );
        fitList();
        draw();
        controller.onLeave((leave) => {
          controller.onLeave(null);
          unsubscribe();
          if (timer) clearTimeout(timer);
          term.leave();
          resolve(leave);
        });
      });
      if (why.kind === 'quit') return 0;
      if (why.kind === 'edit') {
        await controller.editTask(why.task);
        continue;
      }
      // The board steps aside for tmux and comes back when the user detaches.
      const session = why.task.tmuxSession;
      if (session && hasSession(session)) await attachSession(session);
      controller.refresh();
    }
  } finally {
    controller.close();
    process.off('exit', restore);
    for (const sig of SIGNALS) process.off(sig, onSignal);
    restore();
  }
}
