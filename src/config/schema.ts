import { UserError } from '../errors.js';
import type { McpServerConfig } from '../agents/mcp-servers.js';
import { splitCommandLine } from '../agents/command-line.js';
import * as msg from '../messages.js';

export interface AgentConfig {
  /** Interactive command line; `{prompt}` marks where the prompt goes (`{prompt:--flag}`: with its option), else it is appended. */
  command: string;
  /** Headless command line (defaults to `command`). */
  headless?: string;
  /** Command line that resumes the agent's last conversation in its worktree. */
  resume?: string;
  /** Extra words added only with --yolo / `yolo: true`. */
  yolo?: string;
}

export interface SupersetConfig {
  branchPrefix: string;
  worktreesDir: string | null;
  agent: string;
  agents: Record<string, AgentConfig>;
  runner: 'auto' | 'tmux' | 'headless';
  yolo: boolean;
  base: string | null;
  commitOnExit: boolean;
  idleSeconds: number;
  snapshot: { quietSeconds: number };
  stopTimeoutSeconds: number;
  /** MCP servers handed to every task's agent; "self" is `git superset mcp`. */
  mcpServers: Record<string, McpServerConfig>;
  /** How deep tasks started from inside tasks may nest (a task's agent leading sub-tasks). */
  maxDepth: number;
  /** How many tasks' agents may run at once (null: no limit); the rest wait `queued` for a slot. */
  maxRunning: number | null;
  /** Whether an idle agent still holds its slot (it still holds its memory); false: idle frees it. */
  queueCountsIdle: boolean;
  /** Shell command that gates `merge` (run in a temporary worktree of the merge) and that `compare` runs per variant. */
  test: string | null;
  /** Ports per task: a count, or names (`["web", "api"]`). */
  ports: number | string[];
  /** Untracked files copied (globs) / symlinked from the main worktree into each new worktree. */
  copy: string[];
  link: string[];
  /** Shell commands run in a new worktree before the agent / in a worktree before it is removed. */
  setup: string[];
  teardown: string[];
  /** Extra variables for the agent, setup, teardown and run (values may use ${PORT}, ${SUPERSET_TASK}...). */
  env: Record<string, string>;
  /** The task's dev-server command (`git superset run <task>`). */
  run: string | null;
  proxy: { port: number };
  /** Editor for `git superset open` (else $VISUAL, $EDITOR, the first known one on PATH). */
  editor: string | null;
  /** Command (argv) the watcher runs when a task becomes waiting, done or failed. */
  notify: string[] | null;
}

export const DEFAULT_CONFIG: SupersetConfig = {
  branchPrefix: 'superset/',
  worktreesDir: null,
  agent: 'claude',
  agents: {},
  runner: 'auto',
  yolo: false,
  base: null,
  commitOnExit: true,
  idleSeconds: 30,
  snapshot: { quietSeconds: 10 },
  stopTimeoutSeconds: 5,
  mcpServers: {},
  maxDepth: 1,
  maxRunning: null,
  queueCountsIdle: true,
  test: null,
  ports: 0,
  copy: [],
  link: [],
  setup: [],
  teardown: [],
  env: {},
  run: null,
  proxy: { port: 7777 },
  editor: null,
  notify: null,
};

/**
 * Top-level keys whose values are run as commands (agents now; the rest as they arrive), and `yolo`,
 * which lets agents run commands unasked. From a repository's config file they apply only once the
 * user trusts that file (config/trust.ts); every other key is plain data. `agent` runs a command too
 * unless it names a preset: trust.ts checks that.
 */
export const COMMAND_KEYS: readonly string[] = ['agents', 'setup', 'teardown', 'test', 'run', 'notify', 'mcpServers', 'env', 'editor', 'yolo'];

type Check = (v: unknown, where: string) => string | null;
const strOrNull: Check = (v) => (v === null || typeof v === 'string' ? null : 'must be a string');
/** A value that means something only when it says something: "" or "  " is a mistake, not a default. */
const word: Check = (v) => (typeof v !== 'string' ? 'must be a string' : v.trim() === '' ? 'must not be blank' : null);
const wordOrNull: Check = (v, where) => (v === null ? null : word(v, where));
/** A command line that splits into at least one word (quotes closed), so launching can never meet an empty argv. */
const commandLine: Check = (v) => {
  if (typeof v !== 'string') return 'must be a string';
  try {
    return splitCommandLine(v).length === 0 ? 'must not be blank' : null;
  } catch (e) {
    return `must be a valid command line (${(e as Error).message.replace(/: .*$/s, '')})`;
  }
};
/** Extra words may be none, but must still split. */
const words: Check = (v, where) => (v === '' ? null : typeof v === 'string' && v.trim() === '' ? null : commandLine(v, where));
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
const posNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be a number >= 0');
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`;

const agentKeys: Record<keyof AgentConfig, Check> = { command: commandLine, headless: commandLine, resume: commandLine, yolo: words };

const topKeys: Record<keyof SupersetConfig, Check> = {
  // The word must itself be a safe ref component: '../' or '.x/' would pass a plain character check.
  branchPrefix: (v) =>
    typeof v !== 'string' ? 'must be a string' : /^[A-Za-z0-9_][A-Za-z0-9._-]*\/$/.test(v) && !/\.\.|\.\/$|\.lock\/$/.test(v) ? null : 'must be like "superset/" (one safe word and a slash)',
  worktreesDir: wordOrNull,
  agent: word,
  agents: (v, where) => checkAgents(v, where),
  runner: oneOf('auto', 'tmux', 'headless'),
  yolo: bool,
  base: wordOrNull,
  commitOnExit: bool,
  idleSeconds: posNumber,
  snapshot: (v, where) => checkObject(v, where, { quietSeconds: posNumber }),
  stopTimeoutSeconds: posNumber,
  mcpServers: (v, where) => checkMcpServers(v, where),
  maxDepth: (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : 'must be a whole number >= 0'),
  maxRunning: (v) => (v === null || (Number.isInteger(v) && (v as number) >= 1) ? null : 'must be a whole number >= 1 (or null: no limit)'),
  queueCountsIdle: bool,
  test: strOrNull,
  ports: (v) =>
    (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 16) || (Array.isArray(v) && v.length <= 16 && v.every((x) => typeof x === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(x)) && new Set(v).size === v.length)
      ? null
      : 'must be a number of ports (0-16) or a list of distinct names (letters, digits, "_")',
  copy: (v) => stringList(v, ''),
  link: (v) => stringList(v, ''),
  setup: (v) => commandList(v, ''),
  teardown: (v) => commandList(v, ''),
  env: (v) => (isPlainObject(v) && Object.entries(v).every(([k, x]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && typeof x === 'string') ? null : 'must be an object of NAME -> string'),
  run: strOrNull,
  proxy: (v, where) => checkObject(v, where, { port: (p) => (Number.isInteger(p) && (p as number) > 0 && (p as number) < 65536 ? null : 'must be a port number') }),
  editor: strOrNull,
  // An argv array, so a task name never meets a shell: the task comes in the environment.
  notify: (v) =>
    v === null || (Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string' && w.length > 0))
      ? null
      : 'must be a command as an array of words, e.g. ["notify-send", "git superset"]',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkObject(v: unknown, where: string, keys: Record<string, Check>, required: string[] = []): string | null {
  if (!isPlainObject(v)) return where ? `"${where}" must be an object` : 'must be an object';
  for (const [key, value] of Object.entries(v)) {
    // Own keys only: "constructor" or "toString" must not find Object.prototype's functions.
    const check = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (!check) return `unknown key "${where ? `${where}.` : ''}${key}"`;
    const keyPath = where ? `${where}.${key}` : key;
    const problem = check(value, keyPath);
    // Scalar checks say only "must ..."; nested checks return a whole message.
    if (problem) return problem.startsWith('must') ? `"${keyPath}" ${problem}` : problem;
  }
  for (const key of required) if (!(key in v)) return `"${where}.${key}" is required`;
  return null;
}

const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkAgents(v: unknown, where: string): string | null {
  if (!isPlainObject(v)) return `"${where}" must be an object of agent name -> { command }`;
  for (const [name, agent] of Object.entries(v)) {
    if (!AGENT_NAME.test(name)) return `"${where}.${name}": an agent name may only hold letters, digits, ".", "_" and "-", and starts with a letter or digit`;
    const problem = checkObject(agent, `${where}.${name}`, agentKeys, ['command']);
    if (problem) return problem;
  }
  return null;
}

const stringMap: Check = (v) => (isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string') ? null : 'must be an object of strings');
const stringList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'must be a list of strings');
// A single command is accepted for a list of one.
const commandList: Check = (v) => (typeof v === 'string' && v.trim() ? null : stringList(v, '') === null && (v as string[]).every((c) => c.trim()) ? null : 'must be a command or a list of commands (none empty)');

function checkMcpServers(v: unknown, where: string): string | null {
  if (!isPlainObject(v)) return `"${where}" must be an object of server name -> { command, args, env } or { url, headers } or "self"`;
  for (const [name, server] of Object.entries(v)) {
    const at = `${where}.${name}`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) return `"${at}": a server name may only contain letters, digits, "_" and "-"`;
    if (server === 'self') continue;
    const problem = isPlainObject(server) && 'url' in server
      ? checkObject(server, at, { url: word, headers: stringMap }, ['url'])
      : checkObject(server, at, { command: word, args: stringList, env: stringMap }, ['command']);
    if (problem) return problem;
  }
  return null;
}

/** Validates a raw config object and fills in defaults. `file` names the source in errors. */
export function parseConfig(raw: unknown, file: string): SupersetConfig {
  if (raw === null || raw === undefined) return structuredClone(DEFAULT_CONFIG);
  const problem = checkObject(raw, '', topKeys);
  if (problem) throw new UserError(msg.config.invalid(file, problem));
  const given = raw as Partial<SupersetConfig>;
  return {
    ...structuredClone(DEFAULT_CONFIG),
    ...given,
    snapshot: { ...DEFAULT_CONFIG.snapshot, ...(given.snapshot ?? {}) },
    // No prototype: an agent named "constructor" or "toString" is looked up like any other name,
    // and `--agent toString` without such an agent finds nothing instead of Object.prototype's.
    agents: Object.assign(Object.create(null) as Record<string, AgentConfig>, given.agents ?? {}),
    mcpServers: Object.assign(Object.create(null) as Record<string, McpServerConfig>, given.mcpServers ?? {}),
    setup: typeof given.setup === 'string' ? [given.setup] : [...(given.setup ?? [])],
    teardown: typeof given.teardown === 'string' ? [given.teardown] : [...(given.teardown ?? [])],
    proxy: { ...DEFAULT_CONFIG.proxy, ...(given.proxy ?? {}) },
  };
}
