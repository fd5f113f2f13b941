import { FscError } from '@fscpush/core';
import type { BusRecord } from '@fscpush/ports';

// What the two ends of a thread bridge send each other (op names in comments).

/** 'call': a worker calls a service provided on the serving thread. `a` is the JSON text of the arguments. */
export interface CallPayload {
  s: string;
  m: string;
  a: string;
}

/** 'invoke': the serving thread calls a service the worker provides. */
export type InvokePayload = CallPayload;

/** 'provide': the worker provides a service with these methods. */
export interface ProvidePayload {
  s: string;
  methods: string[];
  /** the worker's node, when it names one (several workers may provide the same service) */
  n?: string;
}

/** 'providers' (note to the worker): the providers of a watched service changed. */
export interface ProvidersNote {
  s: string;
  nodes: string[];
}

/** 'subscribe': the worker subscribes; records then arrive as 'deliver' requests naming `id`. */
export interface SubscribePayload {
  t: string;
  g: string;
  id: number;
}

export interface DeliverPayload {
  id: number;
  r: BusRecord[];
}

export interface PublishPayload {
  t: string;
  r: BusRecord[];
}

/** Plain data only, as on the network: a value JSON cannot carry fails here, before anything is sent. */
export function toJsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw new FscError('INVALID_DATA', `value cannot be sent: ${(err as Error).message}`);
  }
}

/** Call arguments as JSON text (an array always has one). */
export function argsText(args: unknown[]): string {
  return toJsonText(args) ?? '[]';
}

export function fromJsonText(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}

/**
 * A PortLink urgency rule for the connector's bridge: calls to push-group's services answer a client
 * waiting on them (its app gives up on some after 200 ms), except the message path, whose sends and pulls
 * come by the thousand a second and keep batching per loop turn.
 */
export function clientCallsUrgent(batched: ReadonlySet<string>): (op: string, payload: unknown) => boolean {
  return (op, payload) => op === 'call' && !batched.has((payload as CallPayload).s);
}
