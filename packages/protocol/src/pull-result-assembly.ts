import protobuf from 'protobufjs';
import type { Int64Like } from './proto/types.ts';
import { stringifyJson } from './json-text.ts';
import { messageToWebJson } from './json-mapping.ts';
import type { Message } from './proto/types.ts';

/**
 * Pull results put together from messages encoded once. A group message goes out in the pull answers of
 * every online member, each the same bytes: encoding it once per message instead of once per receiver
 * saves the connector most of its encoding work. Both forms equal what the full encoders produce.
 */

/** PullMessageResult{message = 1 (repeated), current = 2, head = 3} from `Proto.Message.encode` outputs. */
export function assemblePullResult(encodedMessages: readonly Uint8Array[], current: Int64Like, head: Int64Like): Buffer {
  const writer = protobuf.Writer.create();
  for (const bytes of encodedMessages) writer.uint32((1 << 3) | 2).bytes(bytes);
  writer.uint32(2 << 3).int64(String(current));
  writer.uint32(3 << 3).int64(String(head));
  return writer.finish() as Buffer;
}

/** One message as the web client's pull answer lists it, as JSON text (see pullResultToWebJson). */
export function webMessageText(msg: Message, selfUid: string): string {
  return stringifyJson(messageToWebJson(msg, selfUid));
}

/** The web pull answer's JSON text from webMessageText outputs: the text pullResultToWebJson's object stringifies to. */
export function assembleWebPullResult(messageTexts: readonly string[], current: string, head: string): string {
  return `{"current":${JSON.stringify(current)},"head":${JSON.stringify(head)},"messageCount":${messageTexts.length},"messageResponseList":[${messageTexts.join(',')}]}`;
}
