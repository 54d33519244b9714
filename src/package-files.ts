import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Files of this package that other processes run: the agent wrapper, git hooks and the watcher
// call back into the CLI by absolute path, so a PATH inside an agent never matters.
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BIN = path.join(PACKAGE_ROOT, 'bin/git-superset.js');
export const AGENT_RUN_SH = path.join(PACKAGE_ROOT, 'src/runner/agent-run.sh');
export const HOOK_SH = path.join(PACKAGE_ROOT, 'src/hooks/hook.sh');
