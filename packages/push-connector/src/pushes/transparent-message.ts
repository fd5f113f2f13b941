import type { MessageDto } from '@fscpush/core';
import { Proto, Signal, SubSignal, messageToWebJson, pubAckParts } from '@fscpush/protocol';
import { messageToProto } from '../dto-mapping.ts';
import type { ServerPush } from './server-push.ts';

/** MP: a transparent message (typing and the like), pushed whole as an unsolicited pull result; never stored. */
export interface TransparentMessage {
  kind: 'MP';
  message: MessageDto;
}

export const transparentMessage: ServerPush<TransparentMessage> = {
  toTcp: ({ message }) => ({
    signal: Signal.PUB_ACK,
    subSignal: SubSignal.MP,
    body: pubAckParts(0, Proto.PullMessageResult.encode({ message: [messageToProto(message)], current: '0', head: '0' })),
  }),
  toWs: ({ message }, uid) => ({
    signal: Signal.PUB_ACK,
    subSignal: SubSignal.MP,
    content: { current: '0', head: '0', messageCount: 1, messageResponseList: [messageToWebJson(messageToProto(message), uid)] },
  }),
};
