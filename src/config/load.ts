import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { DEFAULT_CONFIG, parseConfig, type SupersetConfig } from './schema.js';

const MODULE = 'superset';
export const CONFIG_FILES = [
  `.${MODULE}rc`,
  `.${MODULE}rc.json`,
  `.${MODULE}rc.yaml`,
  `.${MODULE}rc.yml`,
  `${MODULE}.config.js`,
  `${MODULE}.config.mjs`,
  `${MODULE}.config.cjs`,
];

function packageJsonHasKey(root: string): boolean {
  try {
    return MODULE in JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Loads the repository's config from its root. cosmiconfig costs ~15 ms to import, paid by every
 * command, so it is only loaded when one of its files is actually there.
 */
export async function loadConfig(root: string): Promise<SupersetConfig & { file: string | null }> {
  const present = CONFIG_FILES.some((f) => fs.existsSync(path.join(root, f))) || packageJsonHasKey(root);
  if (!present) return { ...structuredClone(DEFAULT_CONFIG), file: null };
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig(MODULE, { searchPlaces: ['package.json', ...CONFIG_FILES], searchStrategy: 'none' });
  let result;
  try {
    result = await explorer.search(root);
  } catch (e) {
    const file = (e as { filepath?: string }).filepath ?? root;
    const reason = (e as Error).message.split('\n')[0];
    throw new UserError(`config ${path.relative(root, file) || file}: cannot be read: ${reason}`);
  }
  if (!result) return { ...structuredClone(DEFAULT_CONFIG), file: null };
  const file = path.relative(root, result.filepath);
  return { ...parseConfig(result.config, file), file };
}
