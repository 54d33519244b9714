import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { PRESETS } from '../agents/registry.js';
import { DEFAULT_CONFIG, parseConfig, type SupersetConfig } from './schema.js';
import { commandEntries, contentHash, isCodeFile, untrustedCodeMessage, untrustedDataMessage, withoutCommands } from './trust.js';
import { isTrusted } from './trust-record.js';
import { configErrorReason } from './error-reason.js';
import * as msg from '../messages.js';

const MODULE = 'superset';
/** Searched in this order after package.json#superset (cosmiconfig's order); the first one wins. */
export const CONFIG_FILES = [
  `.${MODULE}rc`,
  `.${MODULE}rc.json`,
  `.${MODULE}rc.yaml`,
  `.${MODULE}rc.yml`,
  `${MODULE}.config.js`,
  `${MODULE}.config.mjs`,
  `${MODULE}.config.cjs`,
];

/** The repository's config file, found without running any of it. */
export interface ConfigSource {
  /** As messages and trust records name it, relative to the root. */
  file: string;
  path: string;
  /** What trust hashes: the file's text, or for package.json the JSON of its `superset` key alone. */
  text: string;
  /** The JavaScript configs: loading one runs it. */
  code: boolean;
  /** package.json#superset, already parsed. */
  value?: unknown;
}

export type LoadedConfig = SupersetConfig & {
  file: string | null;
  /** One line for stderr when the file is not trusted (its commands were left out), else null. */
  warning: string | null;
  /** Top-level keys of the file left out until it is trusted (`agents`, `test`...): a command may refuse on them. */
  untrusted: string[];
};

function readIfThere(file: string, root: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(msg.config.unreadable(path.relative(root, file), (e as Error).message));
  }
}

function packageJsonSource(root: string): ConfigSource | null {
  const file = path.join(root, 'package.json');
  let pkg: unknown;
  try {
    pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null; // no package.json, or not ours to judge
  }
  const value = typeof pkg === 'object' && pkg !== null && Object.hasOwn(pkg, MODULE) ? (pkg as Record<string, unknown>)[MODULE] : null;
  if (value === null || value === undefined) return null;
  return { file: 'package.json', path: file, text: JSON.stringify(value), code: false, value };
}

/**
 * Only the main worktree's root is searched: never a parent directory or the home directory, and
 * never a task worktree (an agent's edit there changes nothing). An empty file counts as absent.
 */
export function findConfigFile(root: string): ConfigSource | null {
  const pkg = packageJsonSource(root);
  if (pkg) return pkg;
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    const text = readIfThere(file, root);
    if (text !== null && text.trim() !== '') return { file: name, path: file, text, code: isCodeFile(name) };
  }
  return null;
}

/**
 * Parses (or, for JavaScript, imports) the file with cosmiconfig's loaders. Not its explorer: that
 * would follow a `$import` key, which loads any other file, JavaScript included.
 */
export async function readConfigSource(source: ConfigSource): Promise<unknown> {
  if (source.value !== undefined) return source.value;
  // cosmiconfig costs ~15 ms to import: only paid when there is a file to parse.
  const { defaultLoaders } = await import('cosmiconfig');
  const loaders = defaultLoaders as Record<string, (file: string, text: string) => unknown>;
  try {
    return await loaders[path.extname(source.file) || 'noExt']!(source.path, source.text);
  } catch (e) {
    throw new UserError(msg.config.unreadable(source.file, configErrorReason((e as Error).message)));
  }
}

export const PRESET_NAMES = Object.keys(PRESETS);

export interface LoadOptions {
  /**
   * An untrusted JavaScript config: 'refuse' (a one-line error, exit 2) or 'ignore' (defaults and a
   * warning), for the internal exit handler, which must record an agent's exit whatever happens.
   */
  untrustedCode?: 'refuse' | 'ignore';
}

/**
 * The repository's config. Plain data keys always apply; what runs commands (schema's COMMAND_KEYS,
 * and any JavaScript config as a whole) only once the file, as it is now, was trusted.
 */
export async function loadConfig(root: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const defaults: LoadedConfig = { ...structuredClone(DEFAULT_CONFIG), file: null, warning: null, untrusted: [] };
  const source = findConfigFile(root);
  if (!source) return defaults;
  const trusted = () => isTrusted(root, source.file, contentHash(source.text));
  if (source.code) {
    // Checked before the import: importing it is running it.
    if (!(await trusted())) {
      if (opts.untrustedCode === 'ignore') return { ...defaults, warning: untrustedCodeMessage(source.file), untrusted: ['*'] };
      throw new UserError(untrustedCodeMessage(source.file));
    }
    return { ...parseConfig(await readConfigSource(source), source.file), file: source.file, warning: null, untrusted: [] };
  }
  const config = parseConfig(await readConfigSource(source), source.file);
  const entries = commandEntries(config, PRESET_NAMES);
  if (entries.length === 0 || (await trusted())) return { ...config, file: source.file, warning: null, untrusted: [] };
  const untrusted = [...new Set(entries.map((e) => e.key.split(/[.[]/)[0]!))];
  return { ...withoutCommands(config, PRESET_NAMES), file: source.file, warning: untrustedDataMessage(source.file, entries), untrusted };
}
