export type Transport = 'tcp' | 'ws';

export type ConnectRefusal =
  | 'CONNECTION_REFUSED_IDENTIFIER_REJECTED'
  | 'CONNECTION_REFUSED_SERVER_UNAVAILABLE'
  | 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD'
  | 'CONNECTION_REFUSED_NOT_AUTHORIZED'
  | 'CONNECTION_REFUSED_SESSION_NOT_EXIST';

export interface ConnectRequest {
  userName: string;
  password: string;
  clientId: string;
  /** connector node holding the connection */
  node: string;
  /** unique per connection: a later disconnect only removes the session it registered */
  connToken: string;
  transport: Transport;
}

export type ConnectResult =
  | { ok: true; uid: string; msgHead: string; friendHead: string; friendRqHead: string; settingHead: string; serverTime: number }
  | { ok: false; refusal: ConnectRefusal };

export interface DisconnectRequest {
  uid: string;
  clientId: string;
  connToken: string;
  /** DISCONNECT with clearSession: the device logs out and its login session is removed */
  clearSession: boolean;
}

export interface OnlineSession {
  node: string;
  connToken: string;
  transport: Transport;
  since: number;
}

export interface SessionService {
  connect(req: ConnectRequest): Promise<ConnectResult>;
  disconnect(req: DisconnectRequest): Promise<void>;
}
