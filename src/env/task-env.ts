/**
 * Config `env`: extra variables for a task's agent, setup, teardown and dev server. Values may
 * name the task's own variables (`${PORT}`, `${SUPERSET_TASK}`, ...); nothing else is expanded,
 * and an unknown name expands to nothing. Pure.
 */
export function expandEnv(extra: Record<string, string>, base: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => base[name] ?? out[name] ?? '');
  }
  return out;
}
