import type { AppTrafficOptions } from '../lib/app-traffic.ts';
import type { RunContext } from '../lib/context.ts';
import { connections } from './connections.ts';
import { group } from './group.ts';
import { mixedSoak } from './mixed-soak.ts';
import { p2p } from './p2p.ts';
import { geometricRates, type SteppingOptions } from './stepping.ts';

type Num = (key: string) => number;
type Str = (key: string) => string | undefined;

export interface Scenario {
  description: string;
  options: Record<string, { type: 'string'; default: string }>;
  /** default bound of the whole run */
  maxSeconds: number;
  server?: (num: Num) => { env?: Record<string, string>; maxFiles?: number };
  run(ctx: RunContext, num: Num, str: Str): Promise<Record<string, unknown>>;
}

const STEPPING = {
  'step-seconds': { type: 'string', default: '10' },
  'drain-seconds': { type: 'string', default: '10' },
  'max-in-flight': { type: 'string', default: '48' },
  'warmup-seconds': { type: 'string', default: '5' },
  'continue-after-fail': { type: 'string', default: '0' },
} as const;

/** The app's blocking requests sent alongside the messages (see lib/app-traffic.ts). */
const APP_REQUESTS = {
  'app-share': { type: 'string', default: '0.1' },
  'app-rate': { type: 'string', default: '10' },
} as const;

function appTraffic(num: Num): AppTrafficOptions {
  return { share: num('app-share'), ratePerKind: num('app-rate') };
}

function stepping(num: Num, str: Str, rates: number[], p99: number, warmupRate: number): SteppingOptions {
  const list = str('rates');
  return {
    rates: list !== undefined ? list.split(',').map(Number) : rates,
    stepSeconds: num('step-seconds'),
    p99LimitMs: p99,
    maxInFlight: num('max-in-flight'),
    drainSeconds: num('drain-seconds'),
    warmupRate,
    warmupSeconds: num('warmup-seconds'),
    continueAfterFail: num('continue-after-fail'),
  };
}

export const SCENARIOS: Record<string, Scenario> = {
  p2p: {
    description: 'users in pairs, fixed-rate 1:1 messages; steps the rate until p99 send→delivered exceeds --p99-ms',
    options: {
      users: { type: 'string', default: '10000' },
      'start-rate': { type: 'string', default: '1000' },
      'rate-factor': { type: 'string', default: '1.25' },
      steps: { type: 'string', default: '12' },
      rates: { type: 'string', default: '' },
      'p99-ms': { type: 'string', default: '200' },
      ...STEPPING,
      ...APP_REQUESTS,
    },
    maxSeconds: 900,
    server: (num) => ({ maxFiles: num('users') + 4096 }),
    run: (ctx, num, str) => p2p(ctx, {
      users: num('users'),
      app: appTraffic(num),
      ...stepping(num, (k) => (str(k) === '' ? undefined : str(k)), geometricRates(num('start-rate'), num('rate-factor'), num('steps')), num('p99-ms'), Math.min(500, num('start-rate'))),
    }),
  },
  group: {
    description: 'one big group, a subset online; steps the message rate; deliveries/s at p99 send→delivered ≤ --p99-ms, then the --point-rate point',
    options: {
      members: { type: 'string', default: '10000' },
      online: { type: 'string', default: '1000' },
      senders: { type: 'string', default: '10' },
      'start-rate': { type: 'string', default: '2' },
      'rate-factor': { type: 'string', default: '2' },
      steps: { type: 'string', default: '8' },
      rates: { type: 'string', default: '' },
      'p99-ms': { type: 'string', default: '1000' },
      'point-rate': { type: 'string', default: '500' },
      ...STEPPING,
      ...APP_REQUESTS,
      'max-in-flight': { type: 'string', default: '8' },
    },
    maxSeconds: 900,
    server: (num) => ({ maxFiles: num('online') + 4096, env: { FSCPUSH_GROUP_MAX_MEMBERS: String(Math.max(2000, num('members') + num('online'))) } }),
    run: (ctx, num, str) => group(ctx, {
      members: num('members'),
      online: num('online'),
      senders: num('senders'),
      pointRate: num('point-rate'),
      app: appTraffic(num),
      ...stepping(num, (k) => (str(k) === '' ? undefined : str(k)), geometricRates(num('start-rate'), num('rate-factor'), num('steps')), num('p99-ms'), Math.min(5, num('start-rate'))),
    }),
  },
  connections: {
    description: 'ramps idle WS and TCP devices, holds them with heartbeats; RSS/heap per connection and idle CPU',
    options: {
      count: { type: 'string', default: '50000' },
      'hold-seconds': { type: 'string', default: '60' },
      'per-generator': { type: 'string', default: '0' },
    },
    maxSeconds: 900,
    server: (num) => ({ maxFiles: num('count') + 4096 }),
    run: (ctx, num) => connections(ctx, {
      count: num('count'),
      holdSeconds: num('hold-seconds'),
      ...(num('per-generator') > 0 && { perGenerator: num('per-generator') }),
    }),
  },
  'mixed-soak': {
    description: 'mixed 1:1, group and reconnect churn for a bounded time; verifies nothing is lost, reports latency drift and RSS growth',
    options: {
      users: { type: 'string', default: '4000' },
      'group-members': { type: 'string', default: '500' },
      'p2p-rate': { type: 'string', default: '1000' },
      'group-rate': { type: 'string', default: '5' },
      'group-senders': { type: 'string', default: '10' },
      'churn-per-sec': { type: 'string', default: '10' },
      'duration-seconds': { type: 'string', default: '600' },
      'window-seconds': { type: 'string', default: '30' },
      'max-in-flight': { type: 'string', default: '32' },
    },
    maxSeconds: 900,
    server: (num) => ({ maxFiles: num('users') + 4096 }),
    run: (ctx, num) => mixedSoak(ctx, {
      users: num('users'),
      groupMembers: num('group-members'),
      p2pRate: num('p2p-rate'),
      groupRate: num('group-rate'),
      groupSenders: num('group-senders'),
      churnPerSec: num('churn-per-sec'),
      durationSeconds: num('duration-seconds'),
      windowSeconds: num('window-seconds'),
      maxInFlight: num('max-in-flight'),
    }),
  },
};
