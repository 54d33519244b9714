/**
 * The reason in a config parser's error, on one line. cosmiconfig's JSON errors put the file name
 * on the first line and the reason after a code frame ("JSON Error in <file>: \n\n> 2 | ...\n\n
 * Expected property name ... at position 4 while parsing '...'"): taking the first line left the
 * reason out. Pure.
 */
export function configErrorReason(message: string): string {
  // the code frame is coloured when the environment asks for colour (FORCE_COLOR)
  const lines = message.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const frame = /^\s*>?\s*\d+\s*\||^\s*\||^-*\^\s*$/;
  const head = lines[0]!.replace(/^(JSON|YAML) Error in .*?:\s*/, '').trim();
  const first = frame.test(head) ? '' : head;
  const reason = first || lines.slice(1).map((l) => l.trim()).find((l) => l && !frame.test(l)) || lines.join(' ').trim();
  // "at position 4 while parsing '{ // Copy to ...'": the line of the frame's marker says more
  const marked = lines.map((l) => /^\s*>\s*(\d+)\s*\|(.*)$/.exec(l)).find(Boolean);
  let text = reason.replace(/\s+while parsing '.*$/, '');
  if (marked && /at position \d+/.test(text)) text = text.replace(/at position \d+/, `at line ${marked[1]}`);
  if (marked && /^\s*\/\//.test(marked[2]!)) text += ' (JSON files cannot hold // comments)';
  return text;
}
