#!/usr/bin/env node
// Writes man/git-superset.1 from the commands' own definitions (dist/man.js, so build first:
// `npm run build` does both). test/unit/man-page.test.ts fails when the committed page is stale.
import fs from 'node:fs';
import { manPage } from '../dist/man.js';

const file = new URL('../man/git-superset.1', import.meta.url);
const page = await manPage();
if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== page) {
  fs.writeFileSync(file, page);
  process.stdout.write('man/git-superset.1 regenerated\n');
}
