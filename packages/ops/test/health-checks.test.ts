import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthChecks } from '../src/index.ts';

test('readiness is "starting" until started, "up" when every probe answers, "stopping" once shutdown began', async () => {
  const health = new HealthChecks({ maxAgeMs: 0 });
  health.add('store', async () => undefined);
  assert.equal((await health.report()).status, 'starting');
  health.started();
  const up = await health.report();
  assert.equal(up.status, 'up');
  assert.equal(up.checks['store']?.status, 'up');
  health.stopping();
  assert.equal((await health.report()).status, 'stopping');
});

test('a failing or silent probe makes the process "down" and says which one and why', async () => {
  const health = new HealthChecks({ timeoutMs: 50, maxAgeMs: 0 });
  health.add('grid', () => Promise.reject(new Error('connection refused')));
  health.add('bus', () => new Promise(() => {}));
  health.add('store', async () => 1);
  health.started();
  const report = await health.report();
  assert.equal(report.status, 'down');
  assert.deepEqual(
    Object.fromEntries(Object.entries(report.checks).map(([k, v]) => [k, [v.status, v.error]])),
    { grid: ['down', 'connection refused'], bus: ['down', 'no answer in 50 ms'], store: ['up', undefined] },
  );
});

test('reports are reused for maxAgeMs: frequent polling costs one probe round per interval', async () => {
  let calls = 0;
  const health = new HealthChecks({ maxAgeMs: 10_000 });
  health.add('registry', async () => {
    calls += 1;
  });
  health.started();
  await Promise.all([health.report(), health.report(), health.report()]);
  await health.report();
  assert.equal(calls, 1);
});
