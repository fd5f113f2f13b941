import { SERVICE_NAMES } from '@fscpush/core';
import { clientCallsUrgent } from '@fscpush/adapter-thread';

/** Both ends of the connector thread's bridge: the app's lookups go at once, the message path batches. */
export const connectorBridgeUrgency = clientCallsUrgent(new Set([SERVICE_NAMES.messages, SERVICE_NAMES.receipts]));
