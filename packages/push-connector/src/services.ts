import type { GroupService, MessageService, ReceiptService, SearchService, SessionService, UserService } from '@fscpush/core';

/** The push-group services a connector calls, whatever registry provides them. */
export interface ConnectorServices {
  sessions: SessionService;
  messages: MessageService;
  groups: GroupService;
  users: UserService;
  receipts: ReceiptService;
  search: SearchService;
}
