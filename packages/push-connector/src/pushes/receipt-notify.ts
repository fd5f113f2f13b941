import { Signal, SubSignal } from '@fscpush/protocol';
import { receiptPush } from '../dto-mapping.ts';
import type { ServerPush } from './server-push.ts';

/** MRP: `reader` has received (0) or read (1) the private conversation up to `messageId`. */
export interface ReceiptNotify {
  kind: 'MRP';
  receipt: number;
  reader: string;
  messageId: string;
}

export const receiptNotify: ServerPush<ReceiptNotify> = {
  toTcp: ({ receipt, reader, messageId }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.MRP, body: Buffer.from(JSON.stringify(receiptPush(receipt, reader, messageId))) }),
  toWs: ({ receipt, reader, messageId }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.MRP, content: receiptPush(receipt, reader, messageId) }),
};
