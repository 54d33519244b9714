import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';

/** A task's ports by name; the first is also `PORT`. */
export type TaskPorts = Record<string, number>;

/** Config `ports`: a count (names port, port2, ...) or a list of names. Pure. */
export function portNames(spec: number | string[] | undefined): string[] {
  if (spec === undefined) return [];
  if (typeof spec === 'number') return Array.from({ length: spec }, (_, i) => (i === 0 ? 'port' : `port${i + 1}`));
  return spec;
}

/** The variables a task's processes see: PORT (the first) and SUPERSET_PORT_<NAME>. Pure. */
export function portEnv(ports: TaskPorts): Record<string, string> {
  const env: Record<string, string> = {};
  const entries = Object.entries(ports);
  if (entries.length) env.PORT = String(entries[0]![1]);
  for (const [name, port] of entries) env[`SUPERSET_PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(port);
  return env;
}

/** One file per reserved port, `ports/<port>`, made with O_EXCL: claiming a port is atomic, no lock. */
const portsDir = (repo: Repo): string => path.join(repo.stateDir, 'ports');

interface Claim {
  task: string;
  name: string;
  index: number;
}

function readClaims(repo: Repo): Map<number, Claim> {
  const claims = new Map<number, Claim>();
  let files: string[] = [];
  try {
    files = fs.readdirSync(portsDir(repo));
  } catch {
    return claims;
  }
  for (const f of files) {
    if (!/^\d+$/.test(f)) continue;
    try {
      const c = JSON.parse(fs.readFileSync(path.join(portsDir(repo), f), 'utf8')) as Claim;
      if (typeof c.task === 'string' && typeof c.name === 'string') claims.set(Number(f), c);
    } catch {
      // being written, or broken: still taken
      claims.set(Number(f), { task: '', name: '', index: 0 });
    }
  }
  return claims;
}

/**
 * Free ports for a task, never one another task of this repository holds, also when 20 tasks
 * start at once: each port is claimed by creating its file exclusively, and a lost race picks
 * another. A task that already holds ports (a relaunch) keeps them.
 */
export async function reservePorts(repo: Repo, task: string, names: string[]): Promise<TaskPorts> {
  if (names.length === 0) return {};
  const { default: getPort } = await import('get-port');
  fs.mkdirSync(portsDir(repo), { recursive: true });
  const claims = readClaims(repo);
  const taken = new Set(claims.keys());
  const ports: TaskPorts = {};
  for (const [index, name] of names.entries()) {
    const kept = [...claims].find(([, c]) => c.task === task && c.name === name);
    if (kept) {
      ports[name] = kept[0];
      continue;
    }
    for (;;) {
      const port = await getPort({ exclude: [...taken], host: '127.0.0.1' });
      taken.add(port);
      try {
        fs.writeFileSync(path.join(portsDir(repo), String(port)), JSON.stringify({ task, name, index }) + '\n', { flag: 'wx' });
        ports[name] = port;
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }
  return ports;
}

/** Gives the task's ports back (rm, merge). */
export async function releasePorts(repo: Repo, task: string): Promise<void> {
  for (const [port, c] of readClaims(repo)) if (c.task === task) fs.rmSync(path.join(portsDir(repo), String(port)), { force: true });
}

/** Every task's reserved ports, by name in config order (the first is PORT). */
export function allReservations(repo: Repo): Record<string, TaskPorts> {
  const byTask: Record<string, [number, string, number][]> = {};
  for (const [port, c] of readClaims(repo)) if (c.task) (byTask[c.task] ??= []).push([c.index, c.name, port]);
  const out: Record<string, TaskPorts> = {};
  for (const [task, list] of Object.entries(byTask)) out[task] = Object.fromEntries(list.sort((a, b) => a[0] - b[0]).map(([, n, p]) => [n, p]));
  return out;
}
