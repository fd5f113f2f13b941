import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { create } from 'tar';

/**
 * A reproducible .tar.gz of everything under `stageDir`: entries in byte order of their paths, every
 * mtime set to `mtime`, modes normalised (0755 for directories and executables, 0644 otherwise),
 * owner 0:0 without names, no atime/ctime, and a gzip header without a time stamp. The same staged
 * files give the same bytes.
 */
export async function writeReproducibleTarGz(stageDir: string, top: string, outFile: string, mtime: Date): Promise<string> {
  const entries = walk(stageDir, top);
  for (const entry of entries) {
    const full = join(stageDir, entry);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) throw new Error(`${entry}: symbolic links are not packed`);
    chmodSync(full, stat.isDirectory() || (stat.mode & 0o111) !== 0 ? 0o755 : 0o644);
    utimesSync(full, mtime, mtime);
  }
  await create({ cwd: stageDir, file: outFile, gzip: { level: 9 }, portable: true, mtime, noDirRecurse: true }, entries);
  const sha256 = createHash('sha256').update(readFileSync(outFile)).digest('hex');
  writeFileSync(`${outFile}.sha256`, `${sha256}  ${basename(outFile)}\n`);
  return sha256;
}

/** Directories before their contents, siblings sorted by name. */
function walk(stageDir: string, path: string): string[] {
  const out = [path];
  if (lstatSync(join(stageDir, path)).isDirectory()) {
    for (const name of readdirSync(join(stageDir, path)).sort()) out.push(...walk(stageDir, `${path}/${name}`));
  }
  return out;
}
