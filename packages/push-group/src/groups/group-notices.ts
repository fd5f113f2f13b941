import { ConversationType, type SendRequest, type SendResult } from '@fscpush/core';

/** MessageServiceImpl.sendNotice: a stored group message that the group's and the sender's mute don't stop. */
export interface NoticeSender {
  sendNotice(req: SendRequest): Promise<SendResult>;
}

export interface NoticeOrigin {
  uid: string;
  gid: string;
}

/**
 * Announces a group change as a stored message in the group from the operator, made by the server: it
 * comes from no device (clientId ''), so every device of every member is notified and pulls it, the
 * operating device included — the web client keeps no local copy of what it did not type, and learns of a
 * new group only from this notice. The payload is `{g, o, …fields}` as JSON, base64 in content.data:
 * what the web client decodes from `binaryContent`.
 */
export async function announce(sender: NoticeSender, origin: NoticeOrigin, type: number, fields: Record<string, string | string[]>): Promise<void> {
  const payload = { g: origin.gid, o: origin.uid, ...fields };
  await sender.sendNotice({
    uid: origin.uid,
    clientId: '',
    conversation: { type: ConversationType.GROUP, target: origin.gid, line: 0 },
    content: { type, data: Buffer.from(JSON.stringify(payload)).toString('base64') },
  });
}
