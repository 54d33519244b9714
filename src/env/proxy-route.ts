import type { TaskPorts } from './ports.js';

export type Route = { task: string; name: string; port: number } | { unknown: string } | { noPort: string };

/**
 * Which task port a Host header means: `<task>.localhost[:p]` is the task's first port,
 * `<name>-<task>.localhost` a named one. Task names may hold '-' too, so a whole-label task match
 * wins, then the longest port-name prefix. Pure.
 */
export function routeFor(host: string | undefined, reservations: Record<string, TaskPorts>): Route {
  const label = (host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.localhost\.?$/, '');
  if (!label || label.includes('.') || label === 'localhost') return { unknown: label };
  const tasks = Object.keys(reservations);
  const direct = tasks.find((t) => t.toLowerCase() === label);
  if (direct !== undefined) {
    const first = Object.entries(reservations[direct]!)[0];
    return first ? { task: direct, name: first[0], port: first[1] } : { noPort: direct };
  }
  let best: { task: string; name: string; port: number } | null = null;
  for (const task of tasks) {
    for (const [name, port] of Object.entries(reservations[task]!)) {
      if (label === `${name.toLowerCase()}-${task.toLowerCase()}` && (!best || name.length > best.name.length)) best = { task, name, port };
    }
  }
  return best ?? { unknown: label };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The small page for a host that reaches nothing: which tasks there are, and their URLs. Pure. */
export function notFoundPage(title: string, reservations: Record<string, TaskPorts>, proxyPort: number): string {
  const rows = Object.entries(reservations)
    .flatMap(([task, ports]) => Object.keys(ports).map((name, i) => (i === 0 ? `${task}.localhost` : `${name}-${task}.localhost`)))
    .map((h) => `<li><a href="http://${escapeHtml(h)}:${proxyPort}/">${escapeHtml(h)}:${proxyPort}</a></li>`);
  return `<!doctype html><meta charset="utf-8"><title>git superset proxy</title><h1>${escapeHtml(title)}</h1>${
    rows.length ? `<p>Tasks with ports:</p><ul>${rows.join('')}</ul>` : '<p>No task has ports yet (config <code>ports</code>).</p>'
  }\n`;
}
