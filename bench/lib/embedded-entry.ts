// `fscpush all` without the CLI: the same startEmbedded call with the same config sources and the same
// SIGTERM shutdown. For `--server-entry embedded`, when bin/fscpush.js cannot load (e.g. a half-finished
// cluster adapter elsewhere in the tree); the measured server is identical.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbedded } from '@fscpush/launcher';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, config: { type: 'string' } }, allowPositionals: true });
const server = await startEmbedded({
  file: resolve(values.config ?? 'config/application.properties'),
  env: process.env,
  ...(values['data-dir'] !== undefined && { overrides: { 'fscpush.data.dir': values['data-dir'] } }),
});
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  server.log.info({ signal }, 'shutting down');
  const failed = await server.close();
  process.exit(failed.length > 0 ? 1 : 0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
