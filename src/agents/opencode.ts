import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliWords, hooksFile, type Agent, type HookTarget } from './agent.js';
import { isHttp, type McpServerSpec } from './mcp-servers.js';

/**
 * OpenCode: status plugin and MCP servers in OPENCODE_CONFIG_CONTENT. It (checked: opencode-ai 1.18.33) loads plugins named in its config, and reads a config
 * from the OPENCODE_CONFIG_CONTENT environment variable, merged over the project's with its
 * `plugin` list appended. We give it a plugin module under `.git/superset/hooks/` that turns its
 * bus events into `git superset signal` calls.
 */

export const opencodePluginFile = (t: HookTarget): string => hooksFile(t, 'opencode-plugin.mjs');

/**
 * Pure: the plugin module. Root sessions only (a subagent going idle says nothing of the task);
 * one signal process at a time, in event order, never awaited by OpenCode. No `done`: OpenCode
 * has no session-end event, and the exit wrapper records the exit.
 */
export function opencodePluginSource(t: HookTarget): string {
  return `// Written by git superset for task ${JSON.stringify(t.task)}: reports OpenCode's status with \`git superset signal\`.
import { spawn } from 'node:child_process';

const SIGNAL = ${JSON.stringify([...cliWords(t), 'signal', t.task])};
const BY_EVENT = {
  'permission.asked': 'waiting',
  'question.asked': 'waiting',
  'permission.replied': 'running',
  'question.replied': 'running',
  'question.rejected': 'running',
  'session.idle': 'idle',
};

export const GitSupersetStatus = async ({ directory } = {}) => {
  const children = new Set();
  let last = null;
  let queue = Promise.resolve();
  const run = (status) =>
    new Promise((done) => {
      try {
        const child = spawn(SIGNAL[0], [...SIGNAL.slice(1), status], { cwd: directory || process.cwd(), detached: true, stdio: 'ignore' });
        child.on('error', done);
        child.on('exit', done);
        child.unref();
      } catch {
        done();
      }
    });
  const signal = (status) => {
    if (status === last) return;
    last = status;
    queue = queue.then(() => run(status));
  };
  return {
    event: async ({ event }) => {
      const props = (event && event.properties) || {};
      if (props.info && props.info.parentID) children.add(props.info.id);
      if (children.has(props.sessionID)) return;
      if (event.type === 'session.status') {
        const type = props.status && props.status.type;
        if (type === 'busy' || type === 'retry') signal('running');
        else if (type === 'idle') signal('idle');
        return;
      }
      if (BY_EVENT[event.type]) signal(BY_EVENT[event.type]);
    },
  };
};
`;
}

/** Pure: the `mcp` config. */
export function opencodeMcpConfig(servers: Record<string, McpServerSpec>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, s] of Object.entries(servers)) {
    out[name] = isHttp(s)
      ? { type: 'remote', url: s.url, ...(s.headers ? { headers: s.headers } : {}), enabled: true }
      : { type: 'local', command: [s.command, ...(s.args ?? [])], ...(s.env ? { environment: s.env } : {}), enabled: true };
  }
  return out;
}

/** Pure: OPENCODE_CONFIG_CONTENT with our plugin added to the user's own, or null when theirs is not a JSON object. */
export function opencodeConfigContent(pluginFile: string, existing?: string, servers: Record<string, McpServerSpec> = {}): string | null {
  let config: Record<string, unknown> = {};
  if (existing) {
    try {
      config = JSON.parse(existing) as Record<string, unknown>;
    } catch {
      return null;
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) return null;
  }
  const plugins = Array.isArray(config.plugin) ? config.plugin : [];
  const out: Record<string, unknown> = { ...config, plugin: [...plugins, pathToFileURL(pluginFile).href] };
  if (Object.keys(servers).length) {
    const theirs = config.mcp && typeof config.mcp === 'object' ? (config.mcp as Record<string, unknown>) : {};
    out.mcp = { ...theirs, ...opencodeMcpConfig(servers) };
  }
  return JSON.stringify(out);
}

/** Writes the plugin and returns the environment that loads it ({} if the user's own OPENCODE_CONFIG_CONTENT is unreadable). */
export function opencodeHookEnv(t: HookTarget, env: Record<string, string | undefined>): Record<string, string> {
  const file = opencodePluginFile(t);
  const content = opencodeConfigContent(file, env.OPENCODE_CONFIG_CONTENT, t.mcpServers);
  if (content === null) return {};
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, opencodePluginSource(t));
  return { OPENCODE_CONFIG_CONTENT: content };
}

export const opencode: Agent = {
  name: 'opencode',
  // There is no middle mode. By default `opencode run` already allows edits and shell commands, and
  // rejects the rest (other directories, .env reads). Use `--auto=true`, not `--auto`: before `run`,
  // a bare `--auto` eats the next word, and opencode prints its help and exits 1. `-c` is per directory.
  preset: {
    binary: 'opencode',
    interactive: ['opencode', '{prompt=--prompt}'],
    headless: ['opencode', 'run', '--', '{prompt}'],
    resume: ['opencode', '-c'],
    resumeHeadless: ['opencode', 'run', '-c', '--', '{prompt}'],
    yolo: ['--auto=true'],
    checked: 'opencode-ai 1.18.33',
  },
  wiring: { status: 'env', mcp: 'env', env: opencodeHookEnv },
};
