#!/usr/bin/env node
// Entry point: checks the runtime, then runs the TypeScript sources directly (Node 24 strips types).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(`fscpush needs Node.js 24 or later (found ${process.version}); run it with "npm start", which uses the pinned runtime.\n`);
  process.exit(1);
}
// Notices operators can't act on: node:sqlite's "experimental" label (the embedded store) and the
// negative timers kafkajs schedules during reconnects (Node clamps them to 1 ms).
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /SQLite/.test(warning.message)) return;
  if (warning.name === 'TimeoutNegativeWarning') return;
  for (const listener of printWarning) listener(warning);
});
await import('../packages/launcher/src/cli.ts');
