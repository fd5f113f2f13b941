import { resolve } from 'node:path';
import { Command } from 'commander';
import { FscError } from '@fscpush/core';
import { startEmbedded } from './embedded.ts';

const program = new Command()
  .name('fscpush')
  .description('FShareChat-compatible IM push server')
  .option('-c, --config <file>', 'application.properties to read', 'config/application.properties')
  .option('-d, --data-dir <dir>', 'data directory (overrides fscpush.data.dir)');

program
  .command('all', { isDefault: true })
  .description('run push-group, push-connector and push-api in one process on embedded parts')
  .action(async () => {
    const opts = program.opts<{ config: string; dataDir?: string }>();
    let server;
    try {
      server = await startEmbedded({
        file: resolve(opts.config),
        env: process.env,
        ...(opts.dataDir !== undefined && { overrides: { 'fscpush.data.dir': opts.dataDir } }),
      });
    } catch (err) {
      if (err instanceof FscError && err.code === 'CONFIG_INVALID') {
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      throw err;
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.log.info({ signal }, 'shutting down');
      const failed = await server.close();
      if (failed.length > 0) server.log.warn({ failed }, 'some parts did not stop cleanly');
      process.exit(failed.length > 0 ? 1 : 0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });

await program.parseAsync(process.argv);
