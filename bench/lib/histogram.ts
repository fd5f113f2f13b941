/**
 * Latency histogram with bounded relative error, in the spirit of HdrHistogram: values (microseconds)
 * fall into log-linear buckets — each power of two is split into SUB_BUCKETS equal parts — so a
 * reported percentile is within 1/SUB_BUCKETS (≈0.8 %) of the true value, whatever the range.
 * Fixed memory (~6 KB), O(1) record, exact count/min/max/mean. Written here instead of taking a
 * dependency: ~80 lines, and the bench must not pull packages into the server's tree.
 */
const SUB_BITS = 7;
const SUB_BUCKETS = 1 << SUB_BITS;
const MAX_EXP = 40; // up to 2^40 µs ≈ 12.7 days

export interface HistogramSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export class Histogram {
  private readonly counts = new Float64Array(SUB_BUCKETS + (MAX_EXP + 1) * SUB_BUCKETS);
  count = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;

  /** Records one value in microseconds (negative values count as 0). */
  record(valueUs: number): void {
    const v = valueUs > 0 ? Math.round(valueUs) : 0;
    this.counts[indexOf(v)]! += 1;
    this.count += 1;
    this.sum += v;
    if (v < this.minValue) this.minValue = v;
    if (v > this.maxValue) this.maxValue = v;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  /** The value at quantile q (0..1): the upper edge of the bucket holding it, capped by the max seen. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperEdge(i), this.maxValue);
    }
    return this.maxValue;
  }

  /** Summary in milliseconds. */
  summaryMs(): HistogramSummary {
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: this.count,
      min: this.count === 0 ? 0 : ms(this.minValue),
      mean: this.count === 0 ? 0 : ms(this.sum / this.count),
      p50: ms(this.percentile(0.5)),
      p90: ms(this.percentile(0.9)),
      p99: ms(this.percentile(0.99)),
      p999: ms(this.percentile(0.999)),
      max: ms(this.maxValue),
    };
  }
}

/**
 * Index layout: values 0..127 map 1:1. A value v >= 128 has exponent e = floor(log2 v) - 7, so
 * floor(v / 2^e) is in 128..255; its bucket is 128 + e*128 + (floor(v / 2^e) - 128).
 */
function indexOf(v: number): number {
  if (v < SUB_BUCKETS) return v;
  let exp = Math.floor(Math.log2(v)) - SUB_BITS;
  let top = Math.floor(v / 2 ** exp);
  if (top >= 2 * SUB_BUCKETS) top = Math.floor(v / 2 ** ++exp);
  else if (top < SUB_BUCKETS) top = Math.floor(v / 2 ** --exp);
  if (exp > MAX_EXP) return SUB_BUCKETS + (MAX_EXP + 1) * SUB_BUCKETS - 1;
  return SUB_BUCKETS + exp * SUB_BUCKETS + (top - SUB_BUCKETS);
}

/** The largest value that maps to `index`. */
function upperEdge(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const exp = Math.floor((index - SUB_BUCKETS) / SUB_BUCKETS);
  const sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
  return (SUB_BUCKETS + sub + 1) * 2 ** exp - 1;
}
