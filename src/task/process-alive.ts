import { procStat } from './proc.js';

/** Whether a process still runs: kill(0) with no process spawned, zombies counted as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * kill(0) succeeds on a zombie. Our detached agents are reaped by PID 1, which in a container
 * is often slow or never does it: without this check a finished agent looks alive (`stop` waits
 * out its timeout, `ls` says running). Linux only; elsewhere assume it is not a zombie.
 */
function isZombie(pid: number): boolean {
  return procStat(pid)?.state === 'Z';
}
