import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/repo.js';

// `git superset --help` is turned by git into `man git-superset`: the page must list every command.
describe('man page', () => {
  const page = fs.readFileSync(path.join(ROOT, 'man/git-superset.1'), 'utf8');
  const cli = fs.readFileSync(path.join(ROOT, 'src/cli.ts'), 'utf8');
  const commands = [...cli.matchAll(/^ {2}(\w+): \['/gm)].map((m) => m[1]!).filter((c) => !c.startsWith('_'));

  it('names every command of the CLI', () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const c of commands) expect(page).toMatch(new RegExp(`^\\.B ${c}\\b`, 'm'));
  });

  it('is declared in package.json so npm installs it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { man: string[] };
    expect(pkg.man).toContain('./man/git-superset.1');
  });
});
