import type { LinkParams } from '../net/links.js';
import type { NetWorld } from '../net/world.js';
import type { TimeUs } from '../sim/time.js';

/**
 * Every fault the simulator can inject, in one place: what each one means for a real machine, and
 * the `fault` trace record that says it happened (written before its effects, so a reader sees the
 * cause first). The scenario runner, the advisor and explore all inject faults through here; the
 * World and the network only provide the mechanisms.
 */

/** kill -9 (or `what`: a segfault, a kill before restart): the kernel resets every connection; nothing is persisted now. */
export function crash(w: NetWorld, pid: string, what = 'crash'): void {
  if (w.status(pid) === 'down') return;
  w.note({ what, p: pid });
  w.kill(pid, 'reset');
}

/** Start a process that is down; skipped, with a record saying why, while its host is down. */
export function start(w: NetWorld, pid: string): void {
  if (skippedOnDownHost(w, pid, 'start')) return;
  w.start(pid);
}

/** kill -9 then start again (a process already down just starts); skipped while its host is down. */
export function restart(w: NetWorld, pid: string): void {
  if (skippedOnDownHost(w, pid, 'restart')) return;
  if (w.status(pid) !== 'down') crash(w, pid, 'kill');
  w.start(pid);
}

function skippedOnDownHost(w: NetWorld, pid: string, action: string): boolean {
  const host = w.hostOfProcess(pid);
  if (w.isHostUp(host)) return false;
  w.note({ what: 'skipped', action, p: pid, why: `host ${host} is down` });
  return true;
}

/**
 * DEBUG SEGFAULT: the process gets SIGSEGV now. A Redis node then writes its bug report with its
 * sockets open, answering nothing, and dies (exit record, status 139) when the report is done: the
 * model's `crashReportMs` range (src/redis/crash.ts has the measured default). Its peers see FIN.
 */
export function debugSegfault(w: NetWorld, pid: string): void {
  if (w.status(pid) === 'down') return;
  w.note({ what: 'debug-segfault', p: pid });
  w.signal(pid, 'SIGSEGV');
}

/**
 * kill -TERM: a Redis node or Sentinel shuts down gracefully (server.c sigShutdownHandler(), then
 * prepareForShutdown() at its next serverCron: a master waits up to shutdown-timeout for its
 * replicas, saves if save points or shutdown-on-sigterm say so, logs its own lines and exits; its
 * peers see FIN, not RST). Held by the kernel while the process is SIGSTOPped.
 */
export function sigterm(w: NetWorld, pid: string): void {
  if (w.status(pid) === 'down') return;
  w.note({ what: 'sigterm', p: pid });
  w.signal(pid, 'SIGTERM');
}

/** SIGSTOP: no timer fires and no input is handled; the kernel still accepts and buffers. */
export function pause(w: NetWorld, pid: string): void {
  if (w.status(pid) !== 'running') return;
  w.note({ what: 'pause', p: pid });
  w.suspend(pid);
}

/** SIGCONT: what waited in the socket buffers is read, then due timers fire. */
export function resume(w: NetWorld, pid: string): void {
  if (w.status(pid) !== 'paused') return;
  w.note({ what: 'resume', p: pid });
  w.wake(pid);
}

/** SIGSTOP now, SIGCONT `forUs` later. */
export function pauseFor(w: NetWorld, pid: string, forUs: TimeUs): void {
  pause(w, pid);
  w.at(w.nowUs + forUs, `resume ${pid}`, (x) => resume(x, pid));
}

/** The whole machine goes away: its processes die and its network goes silent (no RSTs). */
export function hostDown(w: NetWorld, host: string): void {
  if (!w.isHostUp(host)) return;
  w.note({ what: 'host-down', host });
  w.powerOff(host);
}

/** The machine is back; its processes start again (services enabled at boot). */
export function hostUp(w: NetWorld, host: string, startProcesses = true): void {
  if (w.isHostUp(host)) return;
  w.note({ what: 'host-up', host });
  w.powerOn(host, startProcesses);
}

/** Block traffic between two groups of hosts; `oneWay` blocks only from → to. */
export function partition(w: NetWorld, from: readonly string[], to: readonly string[], oneWay = false): void {
  for (const h of [...from, ...to]) w.hostRec(h);
  w.note({ what: oneWay ? 'partition-one-way' : 'partition', from: [...from], to: [...to] });
  w.net.block(from, to, oneWay);
}

/** Cut one host off from the others of `among` (a model's hosts, without the scenario's client host). */
export function isolate(w: NetWorld, host: string, among: readonly string[]): void {
  partition(w, [host], among.filter((h) => h !== host));
}

/** Remove every partition. */
export function heal(w: NetWorld): void {
  w.note({ what: 'heal' });
  w.net.heal();
}

export function clockJump(w: NetWorld, host: string, byMs: number): void {
  w.hostRec(host);
  w.note({ what: 'clock-jump', host, ms: byMs });
  w.jumpClock(host, Math.round(byMs * 1000));
}

export function clockDrift(w: NetWorld, host: string, ppm: number): void {
  w.hostRec(host);
  w.note({ what: 'clock-drift', host, ppm });
  w.setClockDrift(host, ppm);
}

/** Latency, jitter and loss of a link (the model's own links are set this way at time 0). */
export function setLink(w: NetWorld, from: string, to: string, params: LinkParams, bothWays = true): void {
  w.hostRec(from);
  w.hostRec(to);
  w.note({ what: 'link', from, to, ...params });
  w.net.setLink(from, to, params, bothWays);
}

/** Change some of a link's parameters, keeping the others as they are now. */
export function changeLink(w: NetWorld, from: string, to: string, change: Partial<LinkParams>, bothWays = true): void {
  const cur = w.net.links.paramsFor(from, to);
  const params = { latencyUs: change.latencyUs ?? cur.latencyUs, jitterUs: change.jitterUs ?? cur.jitterUs, loss: change.loss ?? cur.loss };
  setLink(w, from, to, params, bothWays);
}

/** Lose what the process persisted (a wiped volume, a rewritten config replaced by the original). */
export function wipeDisk(w: NetWorld, pid: string): void {
  w.note({ what: 'wipe-disk', p: pid });
  w.setDisk(pid, undefined);
}
