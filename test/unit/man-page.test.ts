import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/repo.js';
import { manPage, roff } from '../../src/man.js';
import { COMMANDS, loadCommand, publicCommands } from '../../src/cli.js';

// `git superset --help` is turned by git into `man git-superset`. The page is generated from the
// commands' own definitions (npm run build, or npm run man): a new command or option that is not
// in the committed page fails here.
describe('man page', () => {
  const page = fs.readFileSync(path.join(ROOT, 'man/git-superset.1'), 'utf8');

  it('is what the command definitions generate (run `npm run man` and commit it)', async () => {
    expect(page).toBe(await manPage());
  });

  it('names every command, and gives each its options and an example', async () => {
    expect(publicCommands().length).toBeGreaterThan(10);
    for (const name of publicCommands()) {
      expect(page).toMatch(new RegExp(`^\\.B ${name}\\b`, 'm'));
      if (COMMANDS[name]![1].startsWith('same as')) continue;
      const start = page.indexOf(`.SS "git superset ${name} `);
      expect(start, name).toBeGreaterThan(0);
      const end = page.indexOf('\n.SS ', start + 1);
      const text = page.slice(start, end < 0 ? undefined : end);
      expect(text, name).toMatch(/^example/m);
      const { cmd } = await loadCommand(name);
      for (const opt of cmd.options) expect(text, `${name} ${opt.flags}`).toContain(roff(opt.flags));
    }
  });

  it('is declared in package.json so npm installs it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { man: string[] };
    expect(pkg.man).toContain('./man/git-superset.1');
  });

  it('escapes roff: backslashes, hyphens, lines that would be requests', () => {
    expect(roff('a\\b --x\n.not a request')).toBe('a\\eb \\-\\-x\n\\&.not a request');
  });
});
