import type { Signal, SubSignal } from '@fscpush/protocol';

/** A frame the connector sends unasked, as the Android SDK reads it (binary frame parts). */
export interface TcpPush {
  signal: Signal;
  subSignal: SubSignal;
  /** one buffer, or parts written back to back */
  body: Uint8Array | Uint8Array[];
}

/** The same push as the web client reads it (the JSON envelope's parts). */
export interface WsPush {
  signal: Signal;
  subSignal: SubSignal;
  content: string | object;
}

/** One kind of server push and its two encodings; `uid` is the receiving connection's user. */
export interface ServerPush<P> {
  toTcp(push: P): TcpPush;
  toWs(push: P, uid: string): WsPush;
}
