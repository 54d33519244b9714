import { git } from '../git/git.js';
import { parseTrustRecords, trustKey, TRUST_KEY_PREFIX } from './trust.js';

/*
 * Trust records in the repository's own .git/config (`--local`: never a global, system or included
 * file, and not .git/superset/, which may be deleted at any time). A clone does not carry them.
 */

const REGEXP = `^${TRUST_KEY_PREFIX.replace(/\./g, '\\.')}`;

async function records(root: string): Promise<Map<string, string>> {
  // exit 1: no such key, i.e. nothing trusted yet
  return parseTrustRecords(await git(['config', '--local', '--get-regexp', REGEXP], { cwd: root, okCodes: [1] }));
}

/** Was this exact content trusted as this file? */
export async function isTrusted(root: string, file: string, hash: string): Promise<boolean> {
  return (await records(root)).get(hash) === file;
}

/** Forgets every content ever trusted as this file. */
export async function revokeTrust(root: string, file: string): Promise<number> {
  let removed = 0;
  for (const [hash, trustedAs] of await records(root)) {
    if (trustedAs !== file) continue;
    await git(['config', '--local', '--unset-all', trustKey(hash)], { cwd: root });
    removed++;
  }
  return removed;
}

/** Trusts this content as this file, replacing what was trusted as it before. */
export async function recordTrust(root: string, file: string, hash: string): Promise<void> {
  await revokeTrust(root, file);
  await git(['config', '--local', trustKey(hash), file], { cwd: root });
}
