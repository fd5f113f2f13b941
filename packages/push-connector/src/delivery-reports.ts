import type { DeliveredReport, Logger, MessageDto, ReceiptService } from '@fscpush/core';

const REPORTS_PER_CALL = 500;

/**
 * What pulls answered on this connector handed out, reported to push-group's receipts (delivered
 * positions, MRP to senders) in one call per event-loop turn. Best effort, like the receipts of pulls
 * push-group answers: a lost report leaves a delivered position behind until the next one.
 */
export class DeliveryReports {
  private readonly receipts: ReceiptService;
  private readonly log: Logger;
  private pending: DeliveredReport[] = [];
  private scheduled = false;

  constructor(receipts: ReceiptService, log: Logger) {
    this.receipts = receipts;
    this.log = log;
  }

  add(uid: string, messages: MessageDto[]): void {
    const received = messages.filter((m) => m.fromUser !== uid).map((m) => ({ messageId: m.messageId, fromUser: m.fromUser, conversation: m.conversation }));
    if (received.length === 0) return;
    this.pending.push({ uid, messages: received });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    const reports = this.pending;
    this.pending = [];
    const calls: Promise<void>[] = [];
    for (let i = 0; i < reports.length; i += REPORTS_PER_CALL) {
      calls.push(this.receipts.delivered(reports.slice(i, i + REPORTS_PER_CALL)).catch((err: unknown) => this.log.warn({ err }, 'delivery receipts not recorded')));
    }
    await Promise.all(calls);
  }
}
