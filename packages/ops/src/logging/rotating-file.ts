import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only log file rotated by size: when a write would pass maxBytes, <file> becomes <file>.1,
 * <file>.1 becomes <file>.2 … and <file>.<keep> is dropped. Writes are synchronous, so nothing is lost when
 * the process exits or crashes (info-level JSON logs are a few lines per second).
 */
export class RotatingFile {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private fd: number;
  private size: number;
  private failed = false;

  constructor(file: string, maxBytes: number, keep: number) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  write(chunk: string): boolean {
    const bytes = Buffer.from(chunk, 'utf8');
    try {
      if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off);
      this.size += bytes.length;
      this.failed = false;
    } catch (err) {
      // A full disk must not take the service down; say so once per failure streak.
      if (!this.failed) process.stderr.write(`fscpush: cannot write ${this.file}: ${(err as Error).message}\n`);
      this.failed = true;
    }
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a', 0o640);
    this.size = 0;
  }
}
