/** How soon an MN naming the same head may go out again before the device pulls. */
export const REPEAT_MS = 1000;

/**
 * How far one connection's device holds its user's inbox, and so which seq an MN names.
 *
 * Both FShareChat clients pull "seq >= MN head" after a notify (the Android app from `head - 1`, the web
 * client with pullType 1), and the Android app never pulls again by itself when `current < head`. So an MN
 * names the lowest seq the device has not been given — never one beyond a gap it has not fetched — and the
 * client's own pull discipline then fetches everything, page after page: a pull that stops short of the
 * head is followed by an MN naming `current + 1`, several new messages coalesced into one MN are named by
 * the first of them.
 *
 *   held     the highest seq up to which this device holds every entry, as far as this connection knows.
 *            Until the first pull: the inbox head reported at CONNECT (the pull every client makes on
 *            connect covers up to there, paging on by the same rule). The first pull sets it (the device
 *            claims everything up to that pull's cursor); later pulls move it only when they continue from
 *            it, and so do the device's own sends that directly follow it. A pull from beyond it (the
 *            client pulled from a later MN first) is remembered as one range given ahead: once `held`
 *            reaches that range it takes it in, so the pages that follow do not bring it again.
 *   named    the head the last MN named, until the device pulls: a repeated MN naming the same head tells
 *            the client nothing new and costs it a pull of what it gets anyway, so it is repeated at most
 *            once per REPEAT_MS (in case the first did not reach the client).
 */
export class DeviceFrontier {
  private held = 0n;
  private pulledOnce = false;
  private ahead: { after: bigint; current: bigint } | undefined;
  private named: { head: bigint; at: number } | undefined;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** CONNECT_ACK reported `head` as the inbox head. */
  connected(head: bigint): void {
    if (!this.pulledOnce) this.held = head;
  }

  /** A pull after `after` was answered up to `current`. */
  pulled(after: bigint, current: bigint): void {
    if (!this.pulledOnce) {
      this.pulledOnce = true;
      this.held = current > after ? current : after;
    } else if (after <= this.held) {
      if (current > this.held) this.held = current;
    } else if (current > after && (this.ahead === undefined || after > this.ahead.after)) {
      this.ahead = { after, current };
    }
    if (this.ahead !== undefined && this.ahead.after <= this.held) {
      if (this.ahead.current > this.held) this.held = this.ahead.current;
      this.ahead = undefined;
    }
  }

  /** The device sent a pull: the next MN may name the same head again. */
  pulling(): void {
    this.named = undefined;
  }

  /** This device's own send took `seq` in its inbox. */
  sent(seq: bigint): void {
    if (seq === this.held + 1n) this.held = seq;
  }

  /** The web client's pull after MN: from what the device holds, or from the MN head it names if lower. */
  pullAfterNotify(namedHead: bigint): bigint {
    const fromNamed = namedHead > 0n ? namedHead - 1n : 0n;
    return this.pulledOnce && this.held > fromNamed ? this.held : fromNamed;
  }

  /**
   * The head an MN names when the inbox reaches `seq`; undefined when the device holds it already or the
   * last MN, not pulled for yet, named that head.
   */
  notifyFor(seq: bigint): bigint | undefined {
    if (seq <= this.held) return undefined;
    const head = this.held + 1n;
    const now = this.now();
    if (this.named !== undefined && this.named.head === head && now - this.named.at < REPEAT_MS) return undefined;
    this.named = { head, at: now };
    return head;
  }
}
