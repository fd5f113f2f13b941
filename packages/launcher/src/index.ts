export { startEmbedded, EMBEDDED_NODE, type EmbeddedServer, type EmbeddedOptions } from './embedded.ts';
