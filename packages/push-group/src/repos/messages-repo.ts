import type { Kysely } from 'kysely';
import type { MessageContentDto, MessageDto } from '@fscpush/core';
import type { Schema } from '../store/index.ts';
import { PreparedQuery } from './prepared-query.ts';
import { toMessageDto } from './rows.ts';
import { containsIgnoringCase } from './text-match.ts';

export interface InboxEntry {
  seq: string;
  fromClient: string;
  message: MessageDto;
}

const MESSAGE_COLUMNS = ['messages.mid', 'messages.from_uid', 'messages.from_client', 'messages.conv_type', 'messages.conv_target', 'messages.conv_line', 'messages.content', 'messages.to_users', 'messages.created_at'] as const;

/** Reads of stored messages and inboxes; writes go through MessageWriter. */
export class MessagesRepo {
  private readonly db: Kysely<Schema>;
  /** every pull */
  private readonly inboxAfterQuery;

  constructor(db: Kysely<Schema>) {
    this.db = db;
    this.inboxAfterQuery = new PreparedQuery(db, (uid: string, after: string, limit: number) => db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.mid', 'inbox.mid')
      .select(['inbox.seq', ...MESSAGE_COLUMNS])
      .where('inbox.uid', '=', uid)
      .where('inbox.seq', '>', after)
      .orderBy('inbox.seq', 'asc')
      .limit(limit));
  }

  async inboxAfter(uid: string, after: bigint, limit: number): Promise<InboxEntry[]> {
    const rows = await this.inboxAfterQuery.rows(uid, after.toString(), limit);
    return rows.map((row) => ({ seq: String(row.seq), fromClient: row.from_client, message: toMessageDto(row) }));
  }

  /** The newest `limit` inbox entries, oldest first. */
  async recentInbox(uid: string, limit: number): Promise<InboxEntry[]> {
    const rows = await this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.mid', 'inbox.mid')
      .select(['inbox.seq', ...MESSAGE_COLUMNS])
      .where('inbox.uid', '=', uid)
      .orderBy('inbox.seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((row) => ({ seq: String(row.seq), fromClient: row.from_client, message: toMessageDto(row) }));
  }

  /** Inbox messages whose searchable text contains `keyword` (matched literally), newest first. */
  async search(uid: string, keyword: string, convKey: string | undefined, offset: number, limit: number): Promise<MessageDto[]> {
    let query = this.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.mid', 'inbox.mid')
      .select([...MESSAGE_COLUMNS])
      .where('inbox.uid', '=', uid)
      .where(containsIgnoringCase('messages.searchable', keyword));
    if (convKey !== undefined) query = query.where('messages.conv_key', '=', convKey);
    const rows = await query.orderBy('inbox.seq', 'desc').offset(offset).limit(limit).execute();
    return rows.map(toMessageDto);
  }

  async byId(mid: string): Promise<(MessageDto & { convKey: string }) | undefined> {
    const row = await this.db.selectFrom('messages').select([...MESSAGE_COLUMNS, 'messages.conv_key']).where('mid', '=', mid).executeTakeFirst();
    return row && { ...toMessageDto(row), convKey: row.conv_key };
  }

  /** Newest first, strictly before `beforeId` when it is not 0. */
  async history(convKey: string, beforeId: bigint, count: number): Promise<MessageDto[]> {
    let query = this.db.selectFrom('messages').select([...MESSAGE_COLUMNS]).where('conv_key', '=', convKey);
    if (beforeId > 0n) query = query.where('mid', '<', beforeId.toString());
    const rows = await query.orderBy('mid', 'desc').limit(count).execute();
    return rows.map(toMessageDto);
  }

  async replaceContent(mid: string, content: MessageContentDto): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({ content: JSON.stringify(content), content_type: content.type, searchable: '' })
      .where('mid', '=', mid)
      .execute();
  }
}
