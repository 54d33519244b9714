import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { json, type Ctx } from '../context.js';
import * as msg from '../messages.js';

interface TrustOptions {
  show?: boolean;
  revoke?: boolean;
  json?: boolean;
}

export function define(cmd: Command): void {
  cmd
    .option('--show', 'say what the config file can run and whether it is trusted; change nothing')
    .option('--revoke', 'stop trusting the config file')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
A repository's config file comes with every clone. Its plain data keys (branchPrefix,
idleSeconds...) always apply; what can run commands (agents, mcpServers, test, notify, editor,
yolo, an agent that is not a preset) is ignored, with one line on stderr, and a JavaScript config
(superset.config.js/.mjs/.cjs) is not loaded at all, until you trust the file. trust records the
file's sha256 in .git/config (which no clone carries): any edit to the file asks again.

examples:
  git superset trust --show     # what .supersetrc.json would run, and whether it is trusted
  git superset trust            # trust it as it is now
  git superset trust --revoke`,
    );
}

export async function run(ctx: Ctx, opts: TrustOptions): Promise<number> {
  if (opts.show && opts.revoke) throw new UserError(msg.trust.showAndRevoke);
  const [{ findRepo }, load, trust, record] = await Promise.all([
    import('../git/repo.js'),
    import('../config/load.js'),
    import('../config/trust.js'),
    import('../config/trust-record.js'),
  ]);
  const repo = await findRepo(ctx.cwd);
  const source = load.findConfigFile(repo.root);
  if (!source) {
    if (opts.json) ctx.out(json({ file: null, code: false, sha256: null, needsTrust: false, trusted: false, commands: [] }));
    else ctx.out(`${msg.trust.noConfig(repo.root)}\n`);
    return 0;
  }
  const hash = trust.contentHash(source.text);
  // A data file is validated (a broken file is not trusted) and shows what it runs; a JavaScript
  // file cannot be looked into without running it.
  const commands = source.code ? null : trust.commandEntries((await import('../config/schema.js')).parseConfig(await load.readConfigSource(source), source.file), load.PRESET_NAMES);
  const needsTrust = commands === null || commands.length > 0;
  let trusted = await record.isTrusted(repo.root, source.file, hash);
  let did: 'trusted' | 'revoked' | null = null;
  if (opts.revoke) {
    if ((await record.revokeTrust(repo.root, source.file)) > 0) did = 'revoked';
    trusted = false;
  } else if (!opts.show && needsTrust && !trusted) {
    await record.recordTrust(repo.root, source.file, hash);
    trusted = true;
    did = 'trusted';
  }
  if (opts.json) {
    ctx.out(json({ file: source.file, code: source.code, sha256: hash, needsTrust, trusted, commands: commands ?? null }));
    return 0;
  }
  const name = source.file === 'package.json' ? 'package.json#superset' : source.file;
  const lines = [];
  if (commands === null) lines.push(`${name} (sha256 ${hash.slice(0, 12)}) is JavaScript: it runs as code on every git superset command`);
  else if (commands.length === 0) lines.push(`${name} (sha256 ${hash.slice(0, 12)}) runs no commands: its keys apply without trust`);
  else {
    lines.push(`${name} (sha256 ${hash.slice(0, 12)}) can run:`);
    const width = Math.max(...commands.map((c) => c.key.length));
    for (const c of commands) lines.push(`  ${c.key.padEnd(width)}  ${c.value}`);
  }
  if (opts.revoke) lines.push(did ? `no longer trusted: what it runs is ignored until you trust it again` : 'it was not trusted');
  else if (needsTrust) {
    if (did === 'trusted') lines.push('trusted as it is now: an edit to it asks again');
    else if (trusted) lines.push('trusted');
    else lines.push("not trusted: review it, then run 'git superset trust'");
  }
  ctx.out(lines.join('\n') + '\n');
  return 0;
}
