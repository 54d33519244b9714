#!/usr/bin/env node
// Thin entry: all logic lives in dist/ (built from src/ by `npm ci`, via the prepare script).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
