/**
 * Every malformed input the codecs reject raises a ProtocolError with a stable code.
 * Callers close the offending connection (frames) or answer with an error (WS contents).
 */
export const PROTOCOL_ERROR_CODES = {
  FRAME_BAD_MAGIC: 'first header byte is not 0xf8',
  FRAME_BAD_LENGTH: 'negative body length',
  FRAME_TOO_LARGE: 'body length above the limit',
  FRAME_BAD_SIGNAL: 'signal is NONE or unknown',
  PROTO_INVALID: 'protobuf body is malformed or misses a required field',
  WS_BAD_ENVELOPE: 'WebSocket text is not a valid envelope',
  WS_BAD_CONTENT: 'WebSocket content has the wrong shape',
  WS_TOO_LARGE: 'WebSocket text above the limit',
  BODY_INVALID: 'TCP body has the wrong size or format',
  RPC_FRAME_TOO_LARGE: 'an RPC frame header announces more than the limit',
  RPC_BAD_MESSAGE: 'an RPC frame body is not a well-formed message',
} as const;

export type ProtocolErrorCode = keyof typeof PROTOCOL_ERROR_CODES;

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message?: string, options?: ErrorOptions) {
    super(message ?? PROTOCOL_ERROR_CODES[code], options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export function isProtocolError(err: unknown, code?: ProtocolErrorCode): err is ProtocolError {
  return err instanceof ProtocolError && (code === undefined || err.code === code);
}
