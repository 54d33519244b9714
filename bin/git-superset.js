#!/usr/bin/env node
// Thin entry: all logic lives in dist/ (built from src/ by `npm ci`, via the prepare script).
import { main } from '../dist/cli.js';

// `git superset ls | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
