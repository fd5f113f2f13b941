import { ConversationType } from './messages.ts';

/**
 * The key a MessageService call is routed by among push-group providers (consistent hash): a send goes
 * to the provider of its conversation — both directions of a private chat, every sender of a group — so
 * one push-group writes a conversation's inbox heads and two push-groups do not wait for each other's
 * row locks on them. Other calls keep the default key (the caller's uid).
 */
export function messageRouteKey(method: string, args: readonly unknown[]): string | undefined {
  if (method !== 'send') return undefined;
  const req = args[0] as { uid?: unknown; conversation?: { type?: unknown; target?: unknown } } | undefined;
  const type = req?.conversation?.type;
  const target = req?.conversation?.target;
  if (typeof target !== 'string' || typeof req?.uid !== 'string') return undefined;
  if (type === ConversationType.PRIVATE) return req.uid < target ? `p/${req.uid}/${target}` : `p/${target}/${req.uid}`;
  return `${String(type)}/${target}`;
}
