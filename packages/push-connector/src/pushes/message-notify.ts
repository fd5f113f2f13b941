import { Proto, Signal, SubSignal, notifyToWebJson } from '@fscpush/protocol';
import type { ServerPush } from './server-push.ts';

/** MN: the lowest inbox seq the device has not been given (see Connection.notify). */
export interface MessageNotify {
  kind: 'MN';
  head: string;
}

export const messageNotify: ServerPush<MessageNotify> = {
  toTcp: ({ head }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.MN, body: Proto.NotifyMessage.encode({ type: 0, head }) }),
  toWs: ({ head }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.MN, content: notifyToWebJson({ type: 0, head }) }),
};
