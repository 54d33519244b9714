import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';
import { configErrorReason } from '../../src/config/error-reason.js';
import { ROOT } from '../support/repo.js';

describe('.supersetrc.example', () => {
  const text = fs.readFileSync(path.join(ROOT, '.supersetrc.example'), 'utf8');

  it('is valid as it is, as .supersetrc.json (strict JSON, so also as .supersetrc or YAML)', () => {
    const example = JSON.parse(text);
    expect(() => parseConfig(example, '.supersetrc.json')).not.toThrow();
    expect(parseConfig(example, '.supersetrc.json').agents.mine?.command).toContain('{prompt}');
  });

  it('shows every config key', () => {
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  });

  it('ships in the npm package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('.supersetrc.example');
  });
});

describe('configErrorReason', () => {
  // cosmiconfig 9's messages, verbatim
  it('finds the reason of a JSON error behind its code frame, with the line', () => {
    const message =
      'JSON Error in /r/.supersetrc.json: \n\n  1 | {\n> 2 |   // Copy to .supersetrc.json\n    |   ^\n  3 |   // key\n\n' +
      "Expected property name or '}' in JSON at position 4 while parsing '{  // Copy to .supersetrc.json (or .sup' \n\n  1 | {\n> 2 |   // Copy\n    |   ^\n";
    expect(configErrorReason(message)).toBe("Expected property name or '}' in JSON at line 2 (JSON files cannot hold // comments)");
    const comma = 'JSON Error in /r/.supersetrc.json: \n\n> 1 | {"agent": "x",}\n    |               ^\n\n' +
      "Expected double-quoted property name in JSON at position 14 while parsing '{\"agent\": \"x\",}' \n\n> 1 | {\"agent\": \"x\",}\n    |               ^\n";
    expect(configErrorReason(comma)).toBe('Expected double-quoted property name in JSON at line 1');
  });

  it('ignores the colours of a coloured code frame', () => {
    const message = "JSON Error in /r/x.json: \x1b[0m \x1b[90m 1 |\x1b[39m {\n\x1b[0m\x1b[31m\x1b[1m>\x1b[22m\x1b[39m\x1b[90m 2 |\x1b[39m   // my agent\n\nExpected property name or '}' in JSON at position 4 while parsing '{ // my' \n";
    expect(configErrorReason(message)).toBe("Expected property name or '}' in JSON at line 2 (JSON files cannot hold // comments)");
  });

  it('keeps a YAML reason, which is on the first line', () => {
    const message = 'YAML Error in /r/.supersetrc.yaml:\nunexpected end of the stream within a flow collection (2:1)\n\n 1 | agent: [x\n 2 | \n-----^';
    expect(configErrorReason(message)).toBe('unexpected end of the stream within a flow collection (2:1)');
  });

  it('passes any other message through', () => {
    expect(configErrorReason('Unexpected token export')).toBe('Unexpected token export');
  });
});
