import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceMetrics } from '../src/metrics/service-metrics.ts';

test('metrics read when scraped: a gauge shows the current value, a counter kept elsewhere its current total (not a sum of scrapes)', async () => {
  const metrics = new ServiceMetrics('test');
  let open = 3;
  let rejected = 1;
  metrics.gauge('t_connections', 'connections', ['transport'], (set) => set({ transport: 'tcp' }, open));
  metrics.counterRead('t_rejected_total', 'rejected events', ['reason'], async (set) => set({ reason: 'unknown-kind' }, rejected));
  const first = await metrics.text();
  assert.match(first, /# TYPE t_rejected_total counter/);
  assert.match(first, /t_connections\{transport="tcp",service="test"\} 3/);
  assert.match(first, /t_rejected_total\{reason="unknown-kind",service="test"\} 1/);
  open = 1;
  rejected = 4;
  const second = await metrics.text();
  assert.match(second, /t_connections\{transport="tcp",service="test"\} 1/);
  assert.match(second, /t_rejected_total\{reason="unknown-kind",service="test"\} 4/);
});
