import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { gitIn, type TestRepo } from '../support/repo.js';
import { created, killAgents, lsJson, NOTHING, useAgentRepo, waitForExit } from './_agents.js';

// A repository someone else wrote, freshly cloned: its config must run nothing until trusted.

const fx = useAgentRepo();
let upstream: TestRepo;
let clone: TestRepo;
let env: Record<string, string>;
/** Written by the fake `claude` on PATH: the preset ran, not the config's command. */
let presetRan: string;

function cloneOf(repo: TestRepo, name = 'clone'): TestRepo {
  gitIn(repo.dir, 'clone', '-q', repo.root, name);
  const root = path.join(repo.dir, name);
  const c: TestRepo = {
    dir: repo.dir,
    root,
    git: (...args) => gitIn(root, ...args),
    write: (rel, content) => fs.writeFileSync(path.join(root, rel), content),
    commit: (rel, content, message = `add ${rel}`) => {
      c.write(rel, content);
      gitIn(root, 'add', '--', rel);
      gitIn(root, 'commit', '-q', '-m', message);
      return gitIn(root, 'rev-parse', 'HEAD');
    },
  };
  return c;
}

const marker = (name: string): string => path.join(upstream.dir, `${name}.marker`);
const exists = (file: string): boolean => fs.existsSync(file);
const lines = (text: string): string[] => text.trimEnd().split('\n').filter(Boolean);

beforeEach(() => {
  upstream = fx.repo;
  const bin = path.join(upstream.dir, 'bin');
  fs.mkdirSync(bin);
  presetRan = marker('preset');
  fs.writeFileSync(path.join(bin, 'claude'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${presetRan}'\n`, { mode: 0o755 });
  // No watcher: it would load the config too, at a moment of its own.
  env = { ...fx.env, PATH: `${bin}:${process.env.PATH}`, SUPERSET_WATCH: '0' };
});
afterEach(() => {
  if (clone) killAgents(clone);
});

describe('a committed .supersetrc.json that redefines claude', () => {
  const evil = (name: string) => JSON.stringify({ branchPrefix: 'agents/', agents: { claude: { command: `touch '${marker(name)}'` } } });

  beforeEach(() => {
    upstream.commit('.supersetrc.json', evil('evil'), 'config');
    clone = cloneOf(upstream);
  });

  it('runs nothing before trust, says so in one line, and keeps its plain data keys', async () => {
    const res = cli(clone.root, ['start', 'x', '--headless', '--agent', 'claude', '--prompt', 'p'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stderr)).toEqual([
      "git superset: .supersetrc.json is not trusted: ignoring agents.claude (can run commands); review it, then run 'git superset trust'",
    ]);
    await waitFor(() => exists(presetRan), 10_000, 'the preset claude');
    expect(exists(marker('evil'))).toBe(false);
    // branchPrefix is data: it applies untrusted
    expect(lsJson(clone, env).map((t) => t.branch)).toEqual(['agents/x']);
    const ls = await run(clone.root, ['ls'], env);
    expect(lines(ls.stderr)).toHaveLength(1);
    expect(ls.stderr).toMatch(/not trusted/);
  });

  it('runs once trusted; an edit asks again', async () => {
    const show = await run(clone.root, ['trust', '--show'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('agents.claude.command');
    expect(show.stdout).toContain(`touch '${marker('evil')}'`);
    expect(show.stdout).toMatch(/not trusted/);
    expect(clone.git('config', '--local', '--list')).not.toMatch(/superset\.trusted/);

    const trust = await run(clone.root, ['trust'], env);
    expect(trust.code, trust.stderr).toBe(0);
    expect(trust.stdout).toMatch(/trusted as it is now/);
    const hash = (JSON.parse((await run(clone.root, ['trust', '--show', '--json'], env)).stdout) as { sha256: string; trusted: boolean }).sha256;
    // recorded in .git/config, outside the work tree, keyed by the content hash
    expect(clone.git('config', '--local', `superset.trusted.sha256-${hash}`)).toBe('.supersetrc.json');
    expect(clone.git('status', '--porcelain')).toBe('');

    const res = cli(clone.root, ['start', 'x', '--headless', '--agent', 'claude', '--prompt', 'p'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/trust/);
    await waitFor(() => exists(marker('evil')), 10_000, 'the trusted agent');

    clone.write('.supersetrc.json', evil('edited'));
    const again = cli(clone.root, ['start', 'y', '--headless', '--agent', 'claude', '--prompt', 'p'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/\.supersetrc\.json is not trusted/);
    await waitFor(() => exists(presetRan), 10_000, 'the preset claude');
    expect(exists(marker('edited'))).toBe(false);
    expect(JSON.parse((await run(clone.root, ['trust', '--show', '--json'], env)).stdout)).toMatchObject({ trusted: false, needsTrust: true });
  });

  it('a clone of a trusted clone is not trusted; --revoke forgets', async () => {
    expect((await run(clone.root, ['trust'], env)).code).toBe(0);
    expect(JSON.parse((await run(clone.root, ['trust', '--show', '--json'], env)).stdout)).toMatchObject({ trusted: true });
    const second = cloneOf(clone, 'second');
    expect(JSON.parse((await run(second.root, ['trust', '--show', '--json'], env)).stdout)).toMatchObject({ file: '.supersetrc.json', trusted: false });

    const revoke = await run(clone.root, ['trust', '--revoke'], env);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(/no longer trusted/);
    expect(JSON.parse((await run(clone.root, ['trust', '--show', '--json'], env)).stdout)).toMatchObject({ trusted: false });
    expect((await run(clone.root, ['ls'], env)).stderr).toMatch(/not trusted/);
  });

  it('is read from the main worktree only: a task worktree cannot trust or redefine anything', async () => {
    expect(cli(clone.root, ['start', 'x', '--headless', '--agent', 'true'], env).code).toBe(0);
    const wt = lsJson(clone, env)[0]!.worktree!;
    // what an agent could write in its own worktree
    fs.writeFileSync(path.join(wt, '.supersetrc.json'), JSON.stringify({ agnet: 'broken', agents: { claude: { command: 'x' } } }));
    const res = await run(wt, ['ls'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/^git superset: \.supersetrc\.json is not trusted/);
    // trust run from the worktree trusts the main worktree's file
    expect((await run(wt, ['trust'], env)).code).toBe(0);
    expect((await run(clone.root, ['ls'], env)).stderr).toBe('');
  });
});

describe('a committed superset.config.js', () => {
  beforeEach(() => {
    upstream.commit('superset.config.js', `require('node:fs').writeFileSync(${JSON.stringify(marker('js'))}, '');\nmodule.exports = { branchPrefix: 'js/' };\n`, 'js config');
    clone = cloneOf(upstream);
  });

  it('is never imported before trust: every command refuses in one line, exit 2, nothing created', () => {
    for (const args of [['ls'], ['start', 't', '--headless', '--agent', 'true'], ['log'], ['trust', '--show']]) {
      const res = cli(clone.root, args, env);
      if (args[0] === 'trust') {
        expect(res.code).toBe(0);
        expect(res.stdout).toMatch(/superset\.config\.js \(sha256 \w+\) is JavaScript/);
        continue;
      }
      expect(res.code, args.join(' ')).toBe(2);
      expect(lines(res.stderr)).toEqual(["git superset: superset.config.js is not trusted: it can run code; review it, then run 'git superset trust'"]);
    }
    expect(exists(marker('js'))).toBe(false);
    expect(created(clone)).toEqual(NOTHING);
  });

  it('trust does not run it either; the next command does', async () => {
    const trust = cli(clone.root, ['trust'], env);
    expect(trust.code, trust.stderr).toBe(0);
    expect(exists(marker('js'))).toBe(false);
    expect(cli(clone.root, ['start', 't', '--headless', '--agent', 'true'], env).code).toBe(0);
    expect(exists(marker('js'))).toBe(true);
    expect(lsJson(clone, env).map((t) => t.branch)).toEqual(['js/t']);
    // the agent's exit handler loads the config too: let it finish before the edit
    await waitForExit(clone, 't', 'done', env);
    fs.rmSync(marker('js'));
    fs.appendFileSync(path.join(clone.root, 'superset.config.js'), '// edited\n');
    expect(cli(clone.root, ['ls'], env).code).toBe(2);
    expect(exists(marker('js'))).toBe(false);
  });
});

describe('an agent exits after its JavaScript config was edited', () => {
  it('its exit is still recorded and its work committed, without loading the edited file', async () => {
    upstream.commit('superset.config.js', `module.exports = { idleSeconds: 5 };\n`, 'js config');
    clone = cloneOf(upstream);
    expect(cli(clone.root, ['trust'], env).code).toBe(0);
    const go = marker('go');
    const res = cli(clone.root, ['start', 'w', '--headless', '--agent', `sh -c 'while [ ! -e "$0" ]; do sleep 0.1; done; echo x > work.txt' '${go}'`], env);
    expect(res.code, res.stderr).toBe(0);
    fs.appendFileSync(path.join(clone.root, 'superset.config.js'), `require('node:fs').writeFileSync(${JSON.stringify(marker('late'))}, '');\n`);
    fs.writeFileSync(go, '');
    await waitFor(() => {
      try {
        return clone.git('rev-list', '--count', 'main..superset/w') === '1';
      } catch {
        return false;
      }
    }, 15_000, 'the exit commit');
    expect(exists(marker('late'))).toBe(false);
    expect(cli(clone.root, ['ls'], env).code).toBe(2);
  });
});

describe('yolo: true from a clone', () => {
  it('does not turn off the agent\'s permission prompts until trusted', async () => {
    upstream.commit('.supersetrc.json', JSON.stringify({ yolo: true, idleSeconds: 5 }), 'config');
    clone = cloneOf(upstream);
    const res = cli(clone.root, ['start', 'a', '--headless', '--agent', 'claude', '--prompt', 'p'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stderr)).toEqual([expect.stringMatching(/^git superset: \.supersetrc\.json is not trusted: ignoring yolo /)]);
    const argv = await waitFor(() => exists(presetRan) && fs.readFileSync(presetRan, 'utf8'), 10_000, 'the preset claude');
    expect(argv).not.toContain('--dangerously-skip-permissions');
    await waitForExit(clone, 'a', 'done', env);
    fs.rmSync(presetRan);
    expect(cli(clone.root, ['trust'], env).code).toBe(0);
    expect(cli(clone.root, ['start', 'b', '--headless', '--agent', 'claude', '--prompt', 'p'], env).code).toBe(0);
    expect(await waitFor(() => exists(presetRan) && fs.readFileSync(presetRan, 'utf8'), 10_000, 'the preset claude')).toContain('--dangerously-skip-permissions');
  });
});

describe('refusals', () => {
  beforeEach(() => {
    clone = cloneOf(upstream);
  });

  it('$import in a data file is an unknown key: it would load any other file, JavaScript included', async () => {
    clone.write('evil.js', `require('node:fs').writeFileSync(${JSON.stringify(marker('import'))}, '');\nmodule.exports = {};\n`);
    clone.write('.supersetrc.json', JSON.stringify({ $import: './evil.js' }));
    for (const args of [['ls'], ['trust']]) {
      const res = await run(clone.root, args, env);
      expect(res.code).toBe(2);
      expect(lines(res.stderr)).toHaveLength(1);
      expect(res.stderr).toMatch(/config \.supersetrc\.json: unknown key "\$import"/);
    }
    expect(exists(marker('import'))).toBe(false);
  });

  it('a broken file is not trusted; --show with --revoke; outside a repository', async () => {
    clone.write('.supersetrc.json', '{ "agents": ');
    const broken = await run(clone.root, ['trust'], env);
    expect(broken.code).toBe(2);
    expect(lines(broken.stderr)).toEqual([expect.stringMatching(/^git superset: config \.supersetrc\.json: cannot be read/)]);
    expect(clone.git('config', '--local', '--list')).not.toMatch(/superset\.trusted/);

    const both = await run(clone.root, ['trust', '--show', '--revoke'], env);
    expect(both.code).toBe(2);
    expect(lines(both.stderr)).toEqual(['git superset: --show and --revoke do not go together']);

    const outside = await run(upstream.dir, ['trust'], env);
    expect(outside.code).toBe(2);
    expect(lines(outside.stderr)).toEqual([expect.stringMatching(/not a git repository/)]);
  });

  it('nothing to trust: no file, or a file of plain data', async () => {
    expect((await run(clone.root, ['trust'], env)).stdout).toMatch(/no config file .*nothing to trust/);
    clone.write('.supersetrc.json', JSON.stringify({ branchPrefix: 'agents/', agent: 'codex' }));
    const res = await run(clone.root, ['trust', '--json'], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ file: '.supersetrc.json', code: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), needsTrust: false, trusted: false, commands: [] });
    expect((await run(clone.root, ['ls'], env)).stderr).toBe('');
  });

  it('trust --help', async () => {
    const res = await run(clone.root, ['trust', '--help'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/--show/);
    expect(res.stdout).toMatch(/--revoke/);
    expect(res.stdout).toMatch(/\.git\/config/);
  });
});

describe('package.json#superset', () => {
  it('trust covers the superset key only: other edits to package.json keep it', async () => {
    clone = cloneOf(upstream);
    const pkg = (version: string, command: string) => JSON.stringify({ name: 'x', version, superset: { agents: { mine: { command } } } });
    clone.write('package.json', pkg('1.0.0', 'true'));
    expect((await run(clone.root, ['trust'], env)).code).toBe(0);
    clone.write('package.json', pkg('1.0.1', 'true'));
    expect((await run(clone.root, ['ls'], env)).stderr).toBe('');
    clone.write('package.json', pkg('1.0.1', 'evil'));
    expect((await run(clone.root, ['ls'], env)).stderr).toMatch(/package\.json is not trusted: ignoring agents\.mine/);
  });
});
