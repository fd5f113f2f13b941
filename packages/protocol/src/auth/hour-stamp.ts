const EPOCH_MS = Date.UTC(2018, 0, 1);
const HOUR_MS = 3_600_000;

export const HOUR_STAMP_BYTES = 4;

/** Hours since 2018-01-01T00:00:00Z as 4 big-endian bytes (all four written, unlike FShareChat's Java). */
export function hourStamp(now: Date): Buffer {
  const hours = Math.floor((now.getTime() - EPOCH_MS) / HOUR_MS);
  if (!(hours >= 0 && hours <= 0xffff_ffff)) {
    throw new RangeError('date is outside the 4-byte hour-stamp range (2018-01-01 onwards)');
  }
  const stamp = Buffer.alloc(HOUR_STAMP_BYTES);
  stamp.writeUInt32BE(hours);
  return stamp;
}
