import { ProtocolError } from '../protocol-error.ts';

/** An error as it crosses between services: a stable code, a message, optional details. */
export interface RpcWireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The messages on an RPC connection, one JSON object per frame. Requests carry an id chosen by the
 * caller, unique among its in-flight requests on that connection; replies echo it.
 *
 * `err` replies with `rejected: true` promise that the provider did NOT run the method (it was shutting
 * down, does not provide the service, or was overloaded), so the caller may send the call elsewhere
 * whatever the method. `bye` tells the caller the provider is draining: in-flight calls will still be
 * answered, new ones must go elsewhere.
 */
export type RpcMessage =
  | { k: 'call'; id: number; s: string; m: string; a: unknown[] }
  | { k: 'ok'; id: number; r?: unknown }
  | { k: 'err'; id: number; e: RpcWireError; rejected?: boolean }
  | { k: 'ping'; id: number }
  | { k: 'pong'; id: number }
  | { k: 'bye' };

export function encodeRpcMessage(message: RpcMessage): Buffer {
  return Buffer.from(JSON.stringify(message), 'utf8');
}

/** A call frame body from arguments serialised once (retries reuse them). */
export function encodeRpcCall(id: number, service: string, method: string, argsJson: string): Buffer {
  return Buffer.from(`{"k":"call","id":${id},"s":${JSON.stringify(service)},"m":${JSON.stringify(method)},"a":${argsJson}}`, 'utf8');
}

/** Parses and shape-checks one frame body; anything else is RPC_BAD_MESSAGE. */
export function decodeRpcMessage(body: Buffer): RpcMessage {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProtocolError('RPC_BAD_MESSAGE', 'rpc frame is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new ProtocolError('RPC_BAD_MESSAGE', 'rpc frame is not an object');
  const m = value as Record<string, unknown>;
  const idOk = typeof m['id'] === 'number' && Number.isSafeInteger(m['id']);
  switch (m['k']) {
    case 'call':
      if (idOk && typeof m['s'] === 'string' && typeof m['m'] === 'string' && Array.isArray(m['a'])) return m as RpcMessage;
      break;
    case 'ok':
    case 'ping':
    case 'pong':
      if (idOk) return m as RpcMessage;
      break;
    case 'err': {
      const e = m['e'] as Record<string, unknown> | null | undefined;
      if (idOk && typeof e === 'object' && e !== null && typeof e['code'] === 'string' && typeof e['message'] === 'string') return m as RpcMessage;
      break;
    }
    case 'bye':
      return { k: 'bye' };
  }
  throw new ProtocolError('RPC_BAD_MESSAGE', `malformed rpc message (kind ${String(m['k'])})`);
}
