import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { bringFiles, type BroughtFiles } from './files.js';
import { portEnv, portNames, reservePorts, type TaskPorts } from './ports.js';
import { runSteps } from './shell-steps.js';
import { expandEnv } from './task-env.js';

export interface TaskEnvironment {
  ports: TaskPorts;
  /** What the agent, setup, teardown and run see on top of the usual task variables. */
  env: Record<string, string>;
  brought: BroughtFiles;
}

export interface PrepareRequest {
  repo: Repo;
  config: SupersetConfig;
  task: string;
  worktree: string;
  /** The task variables (SUPERSET_TASK, SUPERSET_WORKTREE, ...) the agent gets anyway. */
  taskVars: Record<string, string>;
  /** A relaunch: the worktree is already set up, only the ports and variables are needed. */
  relaunch: boolean;
  logFile: string;
  onSetup?: (command: string) => void;
  signal?: AbortSignal;
}

/**
 * A task's own environment, before its agent starts: free ports (reserved, so no two tasks of the
 * repository share one), untracked files brought from the main worktree, then the setup commands.
 * A failing setup throws StepFailed; the caller keeps the worktree for the user to inspect.
 */
export async function prepareTaskEnvironment(req: PrepareRequest): Promise<TaskEnvironment> {
  const { config } = req;
  const ports = await reservePorts(req.repo, req.task, portNames(config.ports));
  const vars = { ...req.taskVars, ...portEnv(ports) };
  // the agent gets the task variables anyway: it needs only what comes on top of them
  const env = { ...portEnv(ports), ...expandEnv(config.env, vars) };
  const brought = req.relaunch ? { copied: [], linked: [] } : await bringFiles(req.repo.root, req.worktree, config.copy, config.link);
  if (!req.relaunch && config.setup.length) {
    await runSteps({
      step: 'setup',
      commands: config.setup,
      cwd: req.worktree,
      env: { ...process.env, ...vars, ...env } as Record<string, string>,
      logFile: req.logFile,
      onCommand: (c) => req.onSetup?.(c),
      signal: req.signal,
    });
  }
  return { ports, env, brought };
}

