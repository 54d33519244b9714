import fs from 'node:fs';

/**
 * Writes a whole file or nothing: a temp file beside it (named by our pid, so concurrent writers
 * never share one), then a rename, which readers see at once. On failure (a full disk) the temp
 * file goes and the error is thrown. `mode` is applied whatever the umask (hook scripts must be
 * executable).
 */
export function writeFileAtomic(file: string, data: string, mode?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
