import { FscError, type MessageDto, type SearchRequest, type SearchService } from '@fscpush/core';
import type { MessagesRepo } from '../repos/messages-repo.ts';
import { conversationKey } from '../repos/rows.ts';
import { validateConversation } from '../messages/validation.ts';

const PAGE_SIZE = 20;
const MAX_PAGE = 50;

/**
 * Substring search over the searchable text of the messages in the user's own inbox — a user only ever
 * finds messages that were delivered to them. A LIKE scan bounded by the page; full-text indexes are a
 * later optimisation.
 */
export class SearchServiceImpl implements SearchService {
  private readonly messages: MessagesRepo;

  constructor(messages: MessagesRepo) {
    this.messages = messages;
  }

  async search(req: SearchRequest): Promise<MessageDto[]> {
    const keyword = typeof req.keyword === 'string' ? req.keyword.trim() : '';
    if (keyword.length === 0 || keyword.length > 100) throw new FscError('INVALID_DATA', 'keyword must be 1-100 characters');
    const page = Math.trunc(Number(req.page) || 0);
    if (page < 0 || page > MAX_PAGE) throw new FscError('INVALID_DATA', `page must be 0-${MAX_PAGE}`);
    let convKey: string | undefined;
    if (req.conversation) {
      const conversation = validateConversation(req.conversation);
      convKey = conversationKey(conversation.type, req.uid, conversation.target);
    }
    return this.messages.search(req.uid, keyword, convKey, page * PAGE_SIZE, PAGE_SIZE);
  }
}
