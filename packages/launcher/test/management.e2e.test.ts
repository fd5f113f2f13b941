import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, pullAll } from './harness.ts';

/** Reads one sample's value from Prometheus text, by its exact name and label set. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** /metrics once `ready` holds for it (some counters move a loop turn or a thread hop after the client saw the effect). */
async function metricsWhen(base: string, ready: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await (await fetch(`${base}/metrics`)).text();
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the all-in-one server exposes /health and /metrics on its management port', () => {
  let t: TestServer;
  let base: string;

  before(async () => {
    t = await TestServer.start();
    base = `http://127.0.0.1:${t.server.ports.management}`;
  });
  after(() => t.stop());

  test('GET /health: up, with the registry, bus, store and grid checks; /health/live answers too', async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; service: string; pid: number; checks: Record<string, { status: string }> };
    assert.equal(body.status, 'up');
    assert.equal(body.service, 'all');
    assert.equal(body.pid, process.pid);
    assert.deepEqual(Object.keys(body.checks).sort(), ['bus', 'grid', 'registry', 'store']);
    for (const check of Object.values(body.checks)) assert.equal(check.status, 'up');
    const live = await fetch(`${base}/health/live`);
    assert.equal(live.status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  });

  test('GET /metrics counts connections by transport, messages in/out, acks, pulls and RPC latency', async () => {
    const alice = await t.login('13900009001', 'm-alice');
    const bob = await t.login('13900009002', 'm-bob');
    const a = await t.connect('tcp', alice);
    const b = await t.connect('ws', bob);
    const sent = await a.sendText({ type: 0, target: bob.userId }, 'metrics');
    assert.equal(sent.ok, true);
    await b.waitForNotify();
    const svc = 'service="all"';
    // the MN carried the message: the connector answers this pull itself and reports what it handed out
    const pulled = await b.pull('0', 0);
    assert.deepEqual(pulled.messages.map((m) => m.content.searchableContent), ['metrics']);
    const reported = await metricsWhen(base, (text) => sample(text, `fscpush_messages_out_total{${svc}}`) === 1);
    assert.equal(sample(reported, `fscpush_messages_out_total{${svc}}`), 1);
    assert.equal(sample(reported, `fscpush_pulls_total{outcome="ok",${svc}}`), undefined, 'no pull reached push-group');
    // pulled again from the start: the connector has nothing for it, push-group answers (twice: the page,
    // then the pull that finds nothing new)
    assert.deepEqual((await pullAll(b, '0')).messages.map((m) => m.text), ['metrics']);

    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.equal(sample(text, `fscpush_connections{transport="tcp",state="open",${svc}}`), 1);
    assert.equal(sample(text, `fscpush_connections{transport="ws",state="open",${svc}}`), 1);
    assert.equal(sample(text, `fscpush_messages_in_total{outcome="ok",${svc}}`), 1);
    assert.equal(sample(text, `fscpush_acks_total{outcome="ok",${svc}}`), 1);
    assert.equal(sample(text, `fscpush_pulls_total{outcome="ok",${svc}}`), 2);
    assert.equal(sample(text, `fscpush_messages_out_total{${svc}}`), 2);
    assert.match(text, /fscpush_rpc_server_duration_seconds_bucket\{le="0\.005",service="com\.comsince\.github\.MessageService",method="send",outcome="ok"/);
    // on whichever connector thread holds the receiving device (embedded-0, embedded-0-1, …)
    assert.match(text, /fscpush_bus_consumed_records_total\{topic="fscpush\.deliver\.embedded-0(-\d+)?",service="all"\} \d+/);
    assert.match(text, /^process_resident_memory_bytes\{service="all"\} \d+/m);
    assert.match(text, /^fscpush_build_info\{version="[^"]+",node="v24\.[^"]+",service="all"\} 1/m);
  });
});
