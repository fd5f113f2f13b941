import type { MediaUploads } from './media-uploads.ts';
import type { FriendService, GroupService, MessageService, ReceiptService, SearchService, SessionService, UserService } from '@fscpush/core';

/** The push-group services a connector calls, whatever registry provides them. */
export interface ConnectorServices {
  sessions: SessionService;
  messages: MessageService;
  groups: GroupService;
  users: UserService;
  receipts: ReceiptService;
  search: SearchService;
  friends: FriendService;
  /** not a push-group service: upload URLs are signed where the client connects (FShareChat kept minio.* on the connector) */
  media: MediaUploads;
}
