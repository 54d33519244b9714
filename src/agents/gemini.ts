import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signalCommand, type Agent, type HookTarget } from './agent.js';
import { isHttp, type McpServerSpec } from './mcp-servers.js';

/**
 * Gemini CLI: status hooks and MCP servers both go in a settings overlay. It (checked: @google/gemini-cli
 * 0.61.0) reads hooks only from settings files, and has no flag for an extra one. Its env overrides for the system layers (GEMINI_CLI_SYSTEM_SETTINGS_PATH,
 * GEMINI_CLI_SYSTEM_DEFAULTS_PATH) are skipped unless the file and every parent directory are
 * owned by root and not group/other-writable, and the project layer is `.gemini/settings.json` in
 * the worktree. What is left is GEMINI_CLI_HOME, which moves the user layer: we point it at a home
 * under `.git/superset/hooks/` whose entries are symlinks to the real ones (auth, history,
 * extensions, ~/.agents), except `.gemini/settings.json`: the user's settings with our hooks added.
 */

type HookGroup = { matcher?: string; hooks: { name: string; type: 'command'; command: string; timeout: number }[] };

/** Pure: our hooks. Prompt submitted → running, tool permission asked → waiting, turn over → idle, exit → done. */
export function geminiHooks(t: HookTarget): Record<string, HookGroup[]> {
  // timeout is in milliseconds for Gemini (seconds for Claude Code).
  const group = (status: string): HookGroup[] => [{ hooks: [{ name: `git-superset-${status}`, type: 'command', command: signalCommand(t, status), timeout: 10_000 }] }];
  return { BeforeAgent: group('running'), Notification: group('waiting'), AfterAgent: group('idle'), SessionEnd: group('done') };
}

/** Pure: the user's settings with our hook groups appended after theirs, event by event. */
export function withGeminiHooks(user: Record<string, unknown>, ours: Record<string, HookGroup[]>): Record<string, unknown> {
  const theirs = (user.hooks && typeof user.hooks === 'object' ? user.hooks : {}) as Record<string, unknown>;
  const hooks: Record<string, unknown> = { ...theirs };
  for (const [event, groups] of Object.entries(ours)) hooks[event] = [...(Array.isArray(theirs[event]) ? (theirs[event] as unknown[]) : []), ...groups];
  return { ...user, hooks };
}

/**
 * Pure: the `mcpServers` settings. `trust` skips its confirmations: the user listed these
 * servers for their agents, and a headless run has nobody to confirm.
 */
export function geminiMcpSettings(servers: Record<string, McpServerSpec>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, s] of Object.entries(servers)) {
    out[name] = isHttp(s) ? { httpUrl: s.url, ...(s.headers ? { headers: s.headers } : {}), trust: true } : { command: s.command, args: s.args ?? [], ...(s.env ? { env: s.env } : {}), trust: true };
  }
  return out;
}

/** Pure: JSON with // and /* *\/ comments removed outside strings (Gemini's settings files allow them). */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out;
}

/** Links `dir/<name>` to `target/<name>` for every entry of target but the skipped ones; keeps what is already there. */
function linkEntries(target: string, dir: string, skip: string[]): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(target);
  } catch {
    return;
  }
  for (const name of names) {
    if (skip.includes(name)) continue;
    try {
      fs.symlinkSync(path.join(target, name), path.join(dir, name));
    } catch {
      /* already linked, or made by an earlier session: keep it */
    }
  }
}

export const geminiHomeDir = (t: HookTarget): string => path.join(t.stateDir, 'hooks', 'gemini-home', t.task);

/**
 * Builds the task's Gemini home and returns the environment that selects it, or {} (no hooks,
 * nothing hidden) when the user's settings are missing or cannot be read.
 */
export function geminiHookEnv(t: HookTarget, env: Record<string, string | undefined>): Record<string, string> {
  const realHome = env.GEMINI_CLI_HOME || os.homedir();
  const realSettings = path.join(realHome, '.gemini', 'settings.json');
  let user: Record<string, unknown> = {};
  try {
    user = JSON.parse(stripJsonComments(fs.readFileSync(realSettings, 'utf8'))) as Record<string, unknown>;
  } catch {
    // No settings yet means Gemini has never been set up here: its first run creates the login
    // and settings files, and they must land in the real home, not in a per-task overlay.
    return {};
  }
  if (!user || typeof user !== 'object' || Array.isArray(user)) return {};
  const home = geminiHomeDir(t);
  fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
  linkEntries(realHome, home, ['.gemini']);
  linkEntries(path.join(realHome, '.gemini'), path.join(home, '.gemini'), ['settings.json']);
  const settings = path.join(home, '.gemini', 'settings.json');
  fs.rmSync(settings, { force: true });
  let merged = withGeminiHooks(user, geminiHooks(t));
  if (t.mcpServers && Object.keys(t.mcpServers).length) {
    const theirs = user.mcpServers && typeof user.mcpServers === 'object' ? (user.mcpServers as Record<string, unknown>) : {};
    merged = { ...merged, mcpServers: { ...theirs, ...geminiMcpSettings(t.mcpServers) } };
  }
  fs.writeFileSync(settings, JSON.stringify(merged, null, 2) + '\n');
  return { GEMINI_CLI_HOME: home };
}

export const gemini: Agent = {
  name: 'gemini',
  // Headless `--allowed-tools=write_file,replace` allows edits inside the workspace only, with no shell.
  // It matches --approval-mode=auto_edit, but that cannot be combined with --yolo: gemini exits 1.
  // `--allowed-tools` prints a deprecation warning on stderr. An untrusted folder makes headless runs exit 55 and
  // turns --yolo back to default: trust the worktrees' parent folder, or set GEMINI_CLI_TRUST_WORKSPACE=true.
  // The yolo words include --skip-trust.
  preset: {
    binary: 'gemini',
    interactive: ['gemini', '{prompt=--prompt-interactive}'],
    headless: ['gemini', '--allowed-tools=write_file,replace', '{prompt=--prompt}'],
    resume: ['gemini', '--resume', 'latest'],
    resumeHeadless: ['gemini', '--resume', 'latest', '--allowed-tools=write_file,replace', '{prompt=--prompt}'],
    yolo: ['--yolo', '--skip-trust'],
    checked: '@google/gemini-cli 0.61.0',
  },
  wiring: { status: 'env', mcp: 'env', env: geminiHookEnv },
};
