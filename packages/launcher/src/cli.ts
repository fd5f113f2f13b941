import { resolve } from 'node:path';
import { Command } from 'commander';
import { FscError } from '@fscpush/core';
import { startEmbedded } from './embedded.ts';
import { startClusterService, type ServiceName } from './cluster/run-service.ts';
import { registerOpsCommands } from './ops-commands.ts';
import { stopOnSignals, type Stoppable } from './stop-on-signals.ts';


const program = new Command()
  .name('fscpush')
  .description('FShareChat-compatible IM push server')
  .option('-c, --config <file>', 'application.properties to read', 'config/application.properties')
  .option('-d, --data-dir <dir>', 'data directory (overrides fscpush.data.dir)');

function sources() {
  const opts = program.opts<{ config: string; dataDir?: string }>();
  return {
    file: resolve(opts.config),
    env: process.env,
    ...(opts.dataDir !== undefined && { overrides: { 'fscpush.data.dir': opts.dataDir } }),
  };
}

registerOpsCommands(program, sources);

/** Starts, then stops cleanly on SIGINT/SIGTERM; a broken configuration exits 2 naming the keys. */
async function run(start: (onFatal: () => void) => Promise<Stoppable>): Promise<void> {
  let server: Stoppable;
  try {
    // The server has shut itself down (a part it cannot run without stopped): exit non-zero for the supervisor.
    server = await start(() => process.exit(1));
  } catch (err) {
    if (err instanceof FscError && err.code === 'CONFIG_INVALID') {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    // another instance holds this one's data store: the operator's to resolve, the message says how
    if (err instanceof FscError && err.code === 'STORE_CLAIMED') {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  stopOnSignals(server);
}

program
  .command('all', { isDefault: true })
  .description('run push-group, push-connector and push-api in one process on embedded parts')
  .action(() => run((onFatal) => startEmbedded({ ...sources(), onFatal })));

const SERVICES: [ServiceName, string][] = [
  ['push-group', 'cluster mode: login, sessions, users, friends, groups, messages (ZooKeeper, Kafka, Hazelcast, MySQL)'],
  ['push-connector', 'cluster mode: client connections on TCP and WebSocket (ZooKeeper, Kafka, MinIO)'],
  ['push-api', 'cluster mode: the admin/open HTTP API (ZooKeeper, Hazelcast, MySQL)'],
];
for (const [service, description] of SERVICES) {
  program
    .command(service)
    .description(description)
    .action(() => run((onFatal) => startClusterService({ ...sources(), service, onFatal })));
}

await program.parseAsync(process.argv);
