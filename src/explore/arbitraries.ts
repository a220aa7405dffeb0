import fc from 'fast-check';
import type { Model } from '../scenario/model.js';
import { FAULT_KINDS, type Fault, type FaultKind, type Schedule } from './schedule.js';
import { modelTimers } from './timers.js';

/**
 * fast-check arbitraries of fault schedules over a model: which fault, on what (a process, a
 * host, a failure domain, or the two sides of a partition, all drawn from the model), when, for
 * how long, and how many (they may overlap). fast-check shrinks them: fewer faults, earlier and
 * shorter ones, the first target of each list.
 */

export interface ScheduleOptions {
  /** Fault kinds to draw from (default: every kind the model allows). */
  readonly kinds?: readonly FaultKind[];
  /** The run's length (ms); faults start and heal early enough for `converges` to be judged. */
  readonly durationMs: number;
  /** At most this many faults per schedule (default 3). */
  readonly maxFaults?: number;
  /** No fault before this time (ms), so the Sentinels have found each other (default 10 s). */
  readonly warmupMs?: number;
}

const STEP_MS = 100;
const MIN_FOR_MS = 1000;
const MAX_JUMP_MS = 60_000;

/** Multiples of 100 ms in [min, max]: readable times in the scenario files, and shrinking stays exact. */
const ms = (min: number, max: number) => fc.integer({ min: Math.ceil(min / STEP_MS), max: Math.max(Math.ceil(min / STEP_MS), Math.floor(max / STEP_MS)) }).map((n) => n * STEP_MS);

/** The time window faults live in: [warmup, end], end leaving the convergence bound before the end of the run. */
export function faultWindow(model: Model, o: ScheduleOptions): { fromMs: number; toMs: number } {
  const fromMs = o.warmupMs ?? 10_000;
  const settle = modelTimers(model)?.settleMs ?? 0;
  return { fromMs, toMs: Math.max(fromMs + 10_000, o.durationMs - settle) };
}

/** The kinds this model offers targets for (partitions need two hosts, `domain` a declared failure domain). */
export function applicableKinds(model: Model): FaultKind[] {
  const hosts = hostsWithProcesses(model);
  return FAULT_KINDS.filter((k) => {
    if (k === 'domain') return model.failureDomains.some((d) => !d.implicit);
    if (k === 'partition' || k === 'one-way' || k === 'isolate') return hosts.length >= 2;
    return true;
  });
}

function hostsWithProcesses(model: Model): string[] {
  return model.hosts.filter((h) => model.processes.some((p) => p.host === h.name)).map((h) => h.name);
}

/** One fault of one kind. */
export function faultArbitrary(model: Model, kind: FaultKind, o: ScheduleOptions): fc.Arbitrary<Fault> {
  const w = faultWindow(model, o);
  const when = fc.tuple(ms(w.fromMs, w.toMs - MIN_FOR_MS), ms(MIN_FOR_MS, w.toMs - w.fromMs));
  const timed = <T extends object>(target: fc.Arbitrary<T>) =>
    fc.tuple(target, when).map(([t, [atMs, forMs]]) => ({ ...t, atMs, forMs: Math.min(forMs, w.toMs - atMs) }) as unknown as Fault);
  const hosts = hostsWithProcesses(model);
  switch (kind) {
    case 'crash':
    case 'segfault':
    case 'shutdown':
    case 'pause':
      return timed(fc.constantFrom(...model.processes.map((p) => p.name)).map((proc) => ({ kind, proc })));
    case 'host-down':
    case 'isolate':
      return timed(fc.constantFrom(...hosts).map((host) => ({ kind, host })));
    case 'domain': {
      const ds = model.failureDomains.filter((d) => !d.implicit);
      return timed(
        fc.constantFrom(...ds).map((d) => ({
          kind, domain: d.name, hosts: [...d.hosts], procs: d.processes.filter((p) => !d.hosts.includes(model.processes.find((x) => x.name === p)!.host)),
        })),
      );
    }
    case 'partition':
    case 'one-way':
      // The other side: every other host, or some of them (the rest then reach both sides, a bridge).
      return timed(
        fc.tuple(fc.subarray(hosts, { minLength: 1, maxLength: hosts.length - 1 }), fc.subarray(hosts)).map(([from, some]) => {
          const rest = hosts.filter((h) => !from.includes(h));
          const to = some.filter((h) => rest.includes(h));
          return { kind, from, to: to.length > 0 ? to : rest };
        }),
      );
    case 'clock-jump':
      return fc
        .tuple(fc.constantFrom(...hosts), ms(STEP_MS, MAX_JUMP_MS), fc.boolean(), ms(w.fromMs, w.toMs))
        .map(([host, by, back, atMs]) => ({ kind, host, byMs: back ? -by : by, atMs, forMs: 0 }));
  }
}

/** A schedule: one to maxFaults faults of the given kinds, possibly overlapping. */
export function scheduleArbitrary(model: Model, o: ScheduleOptions): fc.Arbitrary<Schedule> {
  const kinds = (o.kinds ?? applicableKinds(model)).filter((k) => applicableKinds(model).includes(k));
  if (kinds.length === 0) throw new Error(`none of the fault kinds applies to model ${model.name}`);
  const fault = fc.oneof(...kinds.map((k) => faultArbitrary(model, k, o)));
  return fc.array(fault, { minLength: 1, maxLength: o.maxFaults ?? 3 });
}
