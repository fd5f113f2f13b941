import { ContentType, ConversationType, type Logger, type MessageService } from '@fscpush/core';

export const NEW_FRIENDS_TIP = '你们已经是好友了，可以开始聊天了';

/**
 * Opens the new friends' private conversation: the request's reason as a text from the requester, then a
 * tip (type 90). Stored messages sent from no device (clientId ''), so every device of both users pulls them.
 * Best effort: the friendship is already committed, a failed greeting is only logged.
 */
export async function greetNewFriends(messages: MessageService, pair: { requester: string; accepter: string; reason: string }, log: Logger): Promise<void> {
  try {
    if (pair.reason.trim() !== '') {
      await messages.send({
        uid: pair.requester,
        clientId: '',
        conversation: { type: ConversationType.PRIVATE, target: pair.accepter, line: 0 },
        content: { type: ContentType.TEXT, searchableContent: pair.reason },
      });
    }
    await messages.send({
      uid: pair.accepter,
      clientId: '',
      conversation: { type: ConversationType.PRIVATE, target: pair.requester, line: 0 },
      content: { type: ContentType.TIP, content: NEW_FRIENDS_TIP },
    });
  } catch (err) {
    log.warn({ err, requester: pair.requester, accepter: pair.accepter }, 'new friends greeting not sent');
  }
}
