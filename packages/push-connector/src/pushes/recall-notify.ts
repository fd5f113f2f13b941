import { Proto, Signal, SubSignal, recallNotifyToWebJson } from '@fscpush/protocol';
import type { ServerPush } from './server-push.ts';

/** RMN: a message was recalled by `fromUser`. */
export interface RecallNotify {
  kind: 'RMN';
  messageId: string;
  fromUser: string;
}

export const recallNotify: ServerPush<RecallNotify> = {
  toTcp: ({ messageId, fromUser }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.RMN, body: Proto.NotifyRecallMessage.encode({ id: messageId, fromUser }) }),
  toWs: ({ messageId, fromUser }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.RMN, content: recallNotifyToWebJson({ id: messageId, fromUser }) }),
};
