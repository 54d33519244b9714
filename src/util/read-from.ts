import fs from 'node:fs';

/**
 * What a file holds from `offset` to its current end, and that end: `logs -f` reads on from where
 * it stopped. A negative offset counts from the end (the tail of a large log without reading it
 * all). A file shorter than `offset` (truncated) gives nothing and the same offset back.
 */
export function readFrom(file: string, offset: number): { text: string; end: number } {
  const size = fs.statSync(file).size;
  const start = offset < 0 ? Math.max(0, size + offset) : offset;
  if (size <= start) return { text: '', end: Math.max(start, offset) };
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    return { text: buf.toString('utf8'), end: size };
  } finally {
    fs.closeSync(fd);
  }
}
