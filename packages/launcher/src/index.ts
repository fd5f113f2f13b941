export { startEmbedded, EMBEDDED_NODE, type EmbeddedServer, type EmbeddedOptions } from './embedded.ts';
export { stopOnSignals, type Stoppable } from './stop-on-signals.ts';
