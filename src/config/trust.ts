import { createHash } from 'node:crypto';
import { COMMAND_KEYS, DEFAULT_CONFIG, type SupersetConfig } from './schema.js';

/**
 * Trust in a repository's config file (pure parts). A clone brings its config files with it, so
 * whatever in them can run a command waits until the user has read the file and said so with
 * `git superset trust`. The record lives in .git/config, which a clone does not carry, keyed by the
 * hash of what was trusted: any edit asks again.
 */

/** A JavaScript config runs as it is imported: nothing of it may be loaded before it is trusted. */
export const isCodeFile = (file: string): boolean => /\.[cm]?js$/.test(file);

export const contentHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** git config key of one trusted content: the hash is the key, the file it was trusted as the value. */
export const TRUST_KEY_PREFIX = 'superset.trusted.sha256-';
export const trustKey = (hash: string): string => `${TRUST_KEY_PREFIX}${hash}`;

/** `git config --get-regexp` output -> hash -> file. Other lines are skipped. */
export function parseTrustRecords(output: string): Map<string, string> {
  const records = new Map<string, string>();
  for (const line of output.split('\n')) {
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    if (!key.toLowerCase().startsWith(TRUST_KEY_PREFIX)) continue;
    records.set(key.slice(TRUST_KEY_PREFIX.length).toLowerCase(), space < 0 ? '' : line.slice(space + 1));
  }
  return records;
}

export interface CommandEntry {
  /** Dotted key path, e.g. `agents.claude.command`. */
  key: string;
  value: string;
}

function flatten(key: string, value: unknown, into: CommandEntry[]): void {
  // false: `yolo` off, the default
  if (value === null || value === undefined || value === '' || value === false) return;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(Array.isArray(value) ? `${key}[${k}]` : `${key}.${k}`, v, into);
  } else {
    into.push({ key, value: String(value) });
  }
}

/**
 * Everything in a config that would be run: the command keys' values and an `agent` that is not a
 * preset name (it is then run as a command line, or names an agent of the file's own).
 */
export function commandEntries(config: SupersetConfig, presetNames: readonly string[]): CommandEntry[] {
  const entries: CommandEntry[] = [];
  if (!presetNames.includes(config.agent)) entries.push({ key: 'agent', value: config.agent });
  const given = config as unknown as Record<string, unknown>;
  for (const key of COMMAND_KEYS) flatten(key, given[key], entries);
  return entries;
}

/** The config with every entry that would run a command put back to its default. */
export function withoutCommands(config: SupersetConfig, presetNames: readonly string[]): SupersetConfig {
  const safe = structuredClone(config) as unknown as Record<string, unknown>;
  const defaults = DEFAULT_CONFIG as unknown as Record<string, unknown>;
  for (const key of COMMAND_KEYS) if (key in safe) safe[key] = structuredClone(defaults[key]);
  if (!presetNames.includes(config.agent)) safe.agent = DEFAULT_CONFIG.agent;
  return safe as unknown as SupersetConfig;
}

/** `agents.claude.command`, `agents.claude.resume` -> `agents.claude`; `setup[1]` -> `setup`: what the warning names. */
export function ignoredKeys(entries: readonly CommandEntry[]): string[] {
  return [...new Set(entries.map((e) => e.key.split('[')[0]!.split('.').slice(0, 2).join('.')))];
}

const HOW = "review it, then run 'git superset trust'";

/** One line for stderr: the file's plain data applies, its commands do not. */
export function untrustedDataMessage(file: string, entries: readonly CommandEntry[]): string {
  return `${file} is not trusted: ignoring ${ignoredKeys(entries).join(', ')} (can run commands); ${HOW}`;
}

/** The refusal for a JavaScript config: it cannot be read without being run. */
export function untrustedCodeMessage(file: string): string {
  return `${file} is not trusted: it can run code; ${HOW}`;
}
