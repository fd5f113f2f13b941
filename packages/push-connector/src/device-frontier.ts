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
 *            it, and so do the device's own sends that directly follow it.
 */
export class DeviceFrontier {
  private held = 0n;
  private pulledOnce = false;

  /** CONNECT_ACK reported `head` as the inbox head. */
  connected(head: bigint): void {
    if (!this.pulledOnce) this.held = head;
  }

  /** A pull after `after` was answered up to `current`. */
  pulled(after: bigint, current: bigint): void {
    if (!this.pulledOnce) {
      this.pulledOnce = true;
      this.held = current > after ? current : after;
    } else if (after <= this.held && current > this.held) {
      this.held = current;
    }
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

  /** The head an MN names when the inbox reaches `seq`; undefined when the device holds it already. */
  notifyFor(seq: bigint): bigint | undefined {
    return seq > this.held ? this.held + 1n : undefined;
  }
}
