import fs from 'node:fs';
import * as msg from '../messages.js';

/**
 * Each launch of a task appends to the same log (a relaunch resumes the same work), so each starts
 * with a header line: `logs` then shows where one run's output ends and the next begins.
 */
const MARK = '── launch ';

/** How many launches a log already holds, from its header lines. Pure. */
export function launchesIn(logText: string): number {
  let n = 0;
  for (let i = logText.indexOf(MARK); i >= 0; i = logText.indexOf(MARK, i + MARK.length)) {
    if (i === 0 || logText[i - 1] === '\n') n++;
  }
  return n;
}

/** The header of the next launch, on a line of its own. Pure. */
export function launchHeader(previousLog: string, agent: string, now: Date): string {
  const time = now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  // one line whatever the agent: a command line may hold newlines
  const oneLine = agent.replace(/\s+/g, ' ').trim();
  const label = oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
  const lead = previousLog === '' || previousLog.endsWith('\n') ? '' : '\n';
  return `${lead}${msg.logs.launchHeader(launchesIn(previousLog) + 1, time, label)}\n`;
}

export function writeLaunchHeader(logFile: string, agent: string, now = new Date()): void {
  let previous = '';
  try {
    previous = fs.readFileSync(logFile, 'utf8');
  } catch {
    /* the first launch */
  }
  fs.appendFileSync(logFile, launchHeader(previous, agent, now));
}
