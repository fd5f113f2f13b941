// `fscpush all` without the CLI: the same startEmbedded call with the same config sources and the same
// SIGTERM shutdown. For `--server-entry embedded`, when bin/fscpush.js cannot load (e.g. a half-finished
// cluster adapter elsewhere in the tree); the measured server is identical.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbedded, stopOnSignals } from '@fscpush/launcher';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, config: { type: 'string' } }, allowPositionals: true });
const server = await startEmbedded({
  file: resolve(values.config ?? 'config/application.properties'),
  env: process.env,
  ...(values['data-dir'] !== undefined && { overrides: { 'fscpush.data.dir': values['data-dir'] } }),
  // as the CLI: the server shut itself down (its connector thread died)
  onFatal: () => process.exit(1),
});
stopOnSignals(server);
