import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { deriveConnectPassword } from '@fscpush/protocol';
import { LOOPBACK_FREE_PORTS_ENV, TcpImClient, WsImClient, type ChatClient } from '@fscpush/testkit';
import { pullAll } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SUPER = '424242';

interface Child {
  proc: ChildProcess;
  ports: { tcp: number; ws: number; login: number; api: number };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real `bin/fscpush.js all` as its own process and waits for its "started" log line. */
async function startChild(dataDir: string): Promise<Child> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/fscpush.js'), 'all', '--data-dir', dataDir, '--config', join(dataDir, 'none.properties')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...LOOPBACK_FREE_PORTS_ENV,
      FSCPUSH_SMS_SUPERCODE: SUPER,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const lines = createInterface({ input: proc.stdout! });
  const ports = await new Promise<Child['ports']>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start in 30 s')), 30_000);
    lines.on('line', (line) => {
      if (!line.includes('fscpush embedded server started')) return;
      clearTimeout(timer);
      const entry = JSON.parse(line) as { tcp: number; ws: number; login: number; api: number };
      res({ tcp: entry.tcp, ws: entry.ws, login: entry.login, api: entry.api });
    });
    void exited.then(() => rej(new Error('server exited during start')));
  });
  return { proc, ports, exited };
}

async function login(child: Child, mobile: string, clientId: string) {
  const res = await fetch(`http://127.0.0.1:${child.ports.login}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mobile, code: SUPER, clientId }) });
  const json = (await res.json()) as { code: number; result: { userId: string; token: string } };
  assert.equal(json.code, 0);
  return { ...json.result, clientId };
}

async function connect(child: Child, transport: 'tcp' | 'ws', who: { userId: string; token: string; clientId: string }): Promise<ChatClient> {
  const client = transport === 'tcp' ? new TcpImClient() : new WsImClient();
  const r = await client.connect({ host: '127.0.0.1', port: transport === 'tcp' ? child.ports.tcp : child.ports.ws, path: '/ws', userName: who.userId, password: deriveConnectPassword(who.token, { webQuirks: transport === 'ws' }), clientId: who.clientId });
  assert.equal(r.accepted, true, r.code);
  return client;
}

describe('a crash or restart loses no acknowledged message', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fscpush-crash-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('kill -9 mid-traffic, restart on the same data: every acked message is there, in order, once', async () => {
    let child = await startChild(dataDir);
    const alice = await login(child, '13600007001', 'alice-k');
    const bob = await login(child, '13600007002', 'bob-k');
    const sender = await connect(child, 'tcp', alice);

    const acked: string[] = [];
    const inFlight = new Set<Promise<void>>();
    let killed = false;
    for (let i = 0; i < 400 && !killed; i++) {
      const p = sender
        .sendText({ type: 0, target: bob.userId }, `k${i}`, { timeoutMs: 3000 })
        .then((ack) => {
          if (ack.ok) acked.push(ack.messageId!);
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 32) await Promise.race(inFlight);
      if (i === 250) {
        child.proc.kill('SIGKILL');
        killed = true;
      }
    }
    await Promise.allSettled(inFlight);
    assert.equal((await child.exited).signal, 'SIGKILL');
    assert.ok(acked.length >= 200, `acked ${acked.length}`);

    child = await startChild(dataDir);
    try {
      const receiver = await connect(child, 'ws', bob);
      const { messages } = await pullAll(receiver, '0');
      const ids = messages.map((m) => m.messageId);
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      const position = new Map(ids.map((id, i) => [id, i]));
      for (const id of acked) assert.ok(position.has(id), `acked message ${id} survived`);
      const ackedOrder = acked.map((id) => position.get(id)!);
      for (let i = 1; i < ackedOrder.length; i++) assert.ok(ackedOrder[i]! > ackedOrder[i - 1]!, 'acks arrive in send order and the inbox keeps it');
      const sorted = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      assert.deepEqual(ids, sorted, 'inbox order is send order');
      assert.deepEqual(messages.map((m) => m.text), messages.map((m) => m.text).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
      await receiver.close();
      await sender.close();
    } finally {
      child.proc.kill('SIGTERM');
      const exit = await child.exited;
      assert.equal(exit.code, 0, 'SIGTERM shuts down cleanly');
    }
  });
});
