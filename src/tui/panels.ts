import { formatSeconds } from '../sim/time.js';
import type { TimerView } from '../sentinel/view.js';
import { bar, bytes, groupDigits, padEnd, padStart, secs, seg, truncate, type Line, type Seg } from './lines.js';
import { speedOf, type PlaybackState } from '../recording/playback.js';
import type { KeyKind, LogEntry } from '../recording/recording.js';
import type { NetworkRow, RedisRow, ScreenModel, SentinelRow, VotePanel } from './view.js';
import type { WriteCounts } from '../recording/writes.js';

/** The panels of the screen as styled lines. Pure: the same model and width give the same lines. */

const KEY_LABEL: Readonly<Record<KeyKind, string>> = {
  sdown: 'sdown',
  odown: 'odown',
  'try-failover': 'try',
  elected: 'elected',
  switch: 'switch',
  tilt: 'tilt',
  fault: '',
};

const KEY_COLOR: Readonly<Record<KeyKind, string>> = {
  sdown: 'yellow',
  odown: 'yellow',
  'try-failover': 'cyan',
  elected: 'green',
  switch: 'green',
  tilt: 'magenta',
  fault: 'red',
};

export function headerLine(m: ScreenModel, pb: PlaybackState, width: number): Line {
  const speed = speedOf(pb);
  const parts: Seg[] = [
    seg(` ${m.title}`, { bold: true }),
    seg(m.seed !== null ? ` · seed ${m.seed}` : ''),
    seg(` · t `),
    seg(`${formatSeconds(m.cursorUs)} s`, { bold: true }),
    seg(` / ${formatSeconds(m.totalUs)} s · `),
    seg(pb.playing ? '▶' : '‖', { color: pb.playing ? 'green' : 'yellow' }),
    seg(` ×${speed}`),
    seg(m.epoch !== null ? ` · epoch ${m.epoch}` : ''),
  ];
  const left = parts.map((p) => p.text).join('');
  const help = '? help ';
  const gap = width - [...left].length - help.length;
  return gap >= 1 ? [...parts, seg(' '.repeat(gap)), seg(help, { dim: true })] : parts;
}

export interface Marker {
  readonly t: number;
  readonly kind: KeyKind;
  readonly label: string;
}

/** Key events of the log as timeline markers (faults labelled with their action). */
export function markersOf(log: readonly LogEntry[]): Marker[] {
  const out: Marker[] = [];
  for (const e of log) {
    if (!e.key) continue;
    const label = e.key === 'fault' ? faultLabel(e) : KEY_LABEL[e.key];
    out.push({ t: e.t, kind: e.key, label });
  }
  return out;
}

/** "crash node1", "exit node1", "partition", "heal": the action and whom it hit. */
function faultLabel(e: LogEntry): string {
  const what = e.fault ?? 'fault';
  if (what === 'exit') return `exit ${e.p ?? ''}`.trim();
  if (what.startsWith('partition')) return what === 'partition' ? 'partition' : 'partition →';
  const m = /^\S+ -- (\S+)(?: (\S+))?/.exec(e.line);
  return m ? [m[1], m[2]].filter(Boolean).join(' ') : what;
}

/** The bar with the cursor, and (withLabels) a line of ▲ markers with as many labels as fit. */
export function timelineLines(markers: readonly Marker[], cursorUs: number, totalUs: number, width: number, withLabels: boolean): Line[] {
  const inner = Math.max(4, width - 3);
  const pos = (t: number) => (totalUs <= 0 ? 0 : Math.min(inner - 1, Math.round((t / totalUs) * (inner - 1))));
  const cur = pos(cursorUs);
  const cells: Seg[] = [];
  const marked = new Map<number, KeyKind>();
  for (const mk of markers) if (!marked.has(pos(mk.t)) || mk.kind === 'fault') marked.set(pos(mk.t), mk.kind);
  for (let i = 0; i < inner; i++) {
    if (i === cur) cells.push(seg('●', { bold: true, color: 'white' }));
    else if (marked.has(i)) cells.push(seg('┼', { color: KEY_COLOR[marked.get(i)!] }));
    else cells.push(seg(i < cur ? '━' : '─', { dim: i > cur }));
  }
  const barLine: Line = [seg(' ['), ...cells, seg(']')];
  if (!withLabels) return [barLine];
  // Labels left to right, each as near its marker as the previous labels allow; one per kind
  // and text within a stretch (three Sentinels' +sdown read as one), none far from its marker.
  const row: Seg[] = [seg('  ')];
  let used = 2;
  const lastAt = new Map<string, number>();
  for (const mk of markers) {
    const p = pos(mk.t) + 2;
    const key = `${mk.kind}:${mk.label}`;
    const prev = lastAt.get(key);
    if (prev !== undefined && p - prev < 12) continue;
    const at = Math.max(p, used);
    if (at - p > 8) continue;
    const room = width - at;
    if (room < 3) break;
    const text = truncate(`▲${mk.label}`, room);
    if (at > used) row.push(seg(' '.repeat(at - used)));
    row.push(seg(text, { color: KEY_COLOR[mk.kind] }), seg(' '));
    used = at + [...text].length + 1;
    lastAt.set(key, p);
  }
  return [barLine, row];
}

export interface RedisCols {
  readonly name: number;
}

export function redisLines(rows: readonly RedisRow[], width: number): Line[] {
  const nameW = Math.max(5, ...rows.map((r) => r.name.length));
  const head = ` ${padEnd('REDIS', nameW)} ${padEnd('port', 6)} ${padEnd('role', 10)} ${padEnd('link', 5)} ${padStart('offset', 10)} ${padStart('lag', 8)}  writes`;
  const out: Line[] = [[seg(head, { bold: true })]];
  for (const r of rows) {
    const down = r.status === 'down';
    const roleColor = r.role === 'master' ? 'green' : r.role === 'down' ? 'red' : undefined;
    out.push([
      seg(` ${padEnd(r.name, nameW)} `, { dim: down }),
      seg(`${padEnd(`:${r.port}`, 6)} `, { dim: true }),
      seg(padEnd(r.role + (r.promoted ? ' ★' : ''), 10), { color: roleColor, bold: r.promoted }),
      seg(' '),
      seg(padEnd(r.link, 5), { color: r.link === 'down' ? 'red' : r.link === 'up' ? 'green' : undefined, dim: r.link === '—' }),
      seg(' '),
      seg(padStart(r.offset === null ? '—' : groupDigits(r.offset), 10), { dim: r.offset === null }),
      seg(' '),
      seg(padStart(r.lagBytes === null ? '—' : bytes(r.lagBytes), 8), { dim: r.lagBytes === null, color: r.lagBytes ? 'yellow' : undefined }),
      seg('  '),
      seg(r.writes, { color: r.writesOk === true ? 'green' : r.writesOk === false ? 'red' : r.status === 'paused' ? 'yellow' : undefined }),
    ]);
  }
  void width;
  return out;
}

const TIMER_LABEL: Readonly<Record<string, [string, string]>> = {
  'down-after': ['down-after', 'down-after'],
  'election-timeout': ['election-timeout', 'election'],
  'failover-timeout': ['failover-timeout', 'fo-timeout'],
  'retry-wait': ['retry-wait 2×fo', 'retry-wait'],
  tilt: ['tilt', 'tilt'],
};

/** Elapsed time cut (not rounded) to 0.1 s, so 9.98 s of a 10 s limit never reads 10.0. */
function elapsedSecs(ms: number): string {
  return (Math.floor(Math.max(0, ms) / 100) / 10).toFixed(1);
}

/** "down-after ▓▓▓▓░░░░░░ 4.2/10 s": elapsed against the limit from the Sentinel's config. */
export function timerSegs(t: TimerView, compact: boolean, greyed: boolean): Seg[] {
  const [long, short] = TIMER_LABEL[t.name] ?? [t.name, t.name];
  const label = compact ? padEnd(short, 10) : padEnd(long, 16);
  const frac = t.limitMs > 0 ? t.elapsedMs / t.limitMs : 0;
  const cells = compact ? 6 : 10;
  const color = greyed ? 'gray' : frac >= 1 ? 'red' : frac >= 0.75 ? 'yellow' : 'cyan';
  return [
    seg(`${label} `, { dim: greyed }),
    seg(bar(frac, cells), { color }),
    seg(` ${elapsedSecs(t.elapsedMs)}/${secs(t.limitMs)} s`, { dim: greyed }),
  ];
}

export interface SentinelLayout {
  /** Show the timer column at all. */
  readonly timers: boolean;
  /** Timers beyond the first on lines of their own. */
  readonly extraTimerLines: boolean;
}

export function sentinelColumns(rows: readonly SentinelRow[]) {
  const nameW = Math.max(8, ...rows.map((r) => r.name.length));
  const flagsW = Math.max(5, ...rows.map((r) => flagsText(r).length));
  const votedW = Math.max(6, ...rows.map((r) => r.voted.length));
  const stateW = Math.max(14, ...rows.map((r) => r.failoverState.length));
  const fixed = 1 + nameW + 1 + flagsW + 1 + 5 + 1 + votedW + 1 + stateW + 1;
  return { nameW, flagsW, votedW, stateW, fixed };
}

function flagsText(r: SentinelRow): string {
  if (r.status === 'down') return 'down';
  const f: string[] = [];
  if (r.sdown) f.push('S');
  if (r.odown) f.push('O');
  if (r.tilt) f.push(`TILT ${elapsedSecs(r.tilt.elapsedMs)}/${secs(r.tilt.limitMs)} s`);
  if (r.status === 'paused') f.push('paused');
  return f.length > 0 ? f.join(' ') : '—';
}

/** How many lines the Sentinel table takes with this layout. */
export function sentinelHeight(rows: readonly SentinelRow[], l: SentinelLayout): number {
  let n = 1 + rows.length;
  if (l.timers && l.extraTimerLines) for (const r of rows) n += Math.max(0, timersOf(r).length - 1);
  return n;
}

function timersOf(r: SentinelRow): TimerView[] {
  return r.status === 'down' ? [] : [...r.timers];
}

export function sentinelLines(rows: readonly SentinelRow[], width: number, l: SentinelLayout): Line[] {
  const c = sentinelColumns(rows);
  const timerRoom = width - c.fixed;
  const compact = timerRoom < 38;
  const showTimers = l.timers && timerRoom >= 22;
  const head =
    ` ${padEnd('SENTINEL', c.nameW)} ${padEnd('flags', c.flagsW)} ${padEnd('epoch', 5)} ${padEnd('voted', c.votedW)} ${padEnd('failover state', c.stateW)}` +
    (showTimers ? ' timer at the cursor' : '');
  const out: Line[] = [[seg(head, { bold: true })]];
  for (const r of rows) {
    const down = r.status === 'down';
    const flags = flagsText(r);
    const line: Seg[] = [
      seg(` ${padEnd(r.name, c.nameW)} `, { dim: down }),
      seg(padEnd(flags, c.flagsW), { color: down ? 'red' : r.tilt ? 'magenta' : r.odown ? 'red' : r.sdown ? 'yellow' : undefined, bold: r.odown || !!r.tilt, dim: flags === '—' }),
      seg(` ${padEnd(r.epoch === null ? '—' : String(r.epoch), 5)} `, { dim: r.epoch === null }),
      seg(padEnd(r.voted, c.votedW), { dim: r.voted === '—' }),
      seg(' '),
      seg(padEnd(r.failoverState, c.stateW), { color: r.failoverState !== '—' ? 'cyan' : undefined, dim: r.failoverState === '—' }),
      seg(' '),
    ];
    const ts = timersOf(r);
    const greyed = r.tilt !== null || r.status === 'paused';
    if (showTimers) {
      if (ts.length > 0) line.push(...timerSegs(ts[0]!, compact, greyed));
      else line.push(seg('─', { dim: true }));
    }
    out.push(line);
    if (showTimers && l.extraTimerLines) {
      for (const t of ts.slice(1)) out.push([seg(' '.repeat(c.fixed)), ...timerSegs(t, compact, greyed)]);
    }
  }
  return out;
}

export function voteLine(v: VotePanel | null, width: number): Line {
  if (!v) return [seg(' VOTES', { bold: true }), seg('   no Sentinel is running', { dim: true })];
  const head = seg(padEnd(` VOTES @ epoch ${v.epoch}`, 18), { bold: true });
  if (v.outcome === 'none') return [head, seg(`no election yet · needs max(majority ${v.majority} of ${v.voters}, quorum ${v.quorum}) = ${v.needed}`, { dim: true })];
  const segs: Seg[] = [head];
  for (const c of v.candidates) {
    const ok = c.count >= v.needed;
    const more = c.cast > c.count ? ` (${c.cast} cast)` : '';
    segs.push(seg(`${c.name} `), seg('●'.repeat(Math.min(c.count, 9)), { color: ok ? 'green' : 'yellow' }), seg(`${'○'.repeat(Math.max(0, Math.min(v.needed, 9) - c.count))} ${c.count}${more}   `, { dim: true }));
  }
  if (v.candidates.length === 0 && v.outcome === 'elected') {
    // After +switch-master the Sentinels reset the master's record: the votes are gone with it.
    return [...segs, seg(`done: the master was switched in epoch ${v.epoch} (config-epoch ${v.epoch})`, { color: 'green' })];
  }
  if (v.candidates.length === 0) segs.push(seg('no votes   ', { dim: true }));
  const rule = `needs max(majority ${v.majority} of ${v.voters}, quorum ${v.quorum}) = ${v.needed}`;
  const short = `needs ${v.needed} (maj ${v.majority}/${v.voters}, q ${v.quorum})`;
  const verdict =
    v.outcome === 'elected' ? seg(`  ✓ elected${v.elected ? ` ${v.elected}` : ''}`, { color: 'green', bold: true })
    : v.outcome === 'counting' ? seg('  … counting', { color: 'yellow' })
    : seg(`  ✗ no winner${v.candidates.length > 1 ? ' (split vote)' : ''}`, { color: 'red', bold: true });
  const used = segs.reduce((n, s) => n + [...s.text].length, 0);
  const fits = used + rule.length + [...verdict.text].length <= width;
  segs.push(seg(fits ? rule : short, { dim: true }), verdict);
  return segs;
}

export function networkLine(n: NetworkRow | null, width: number): Line {
  const head = seg(padEnd(' NETWORK', 18), { bold: true });
  if (!n) return [head, seg('—', { dim: true })];
  const segs: Seg[] = [head];
  if (n.groups.length === 1 && n.cuts.length === 0 && n.oneWay.length === 0) {
    const all = n.groups[0]!.join(' ⇄ ');
    const text = 18 + [...all].length + 15 <= width ? all : `all ${n.groups[0]!.length} hosts reach each other`;
    segs.push(seg(text, { dim: true }), seg('   no partition', { color: 'green' }));
  } else {
    if (n.groups.length > 1) n.groups.forEach((g, i) => segs.push(seg(i > 0 ? ' ✕ ' : '', { color: 'red', bold: true }), seg(`[${g.join(' ')}]`)));
    if (n.cuts.length > 0) segs.push(seg(`cut: ${n.cuts.join(', ')}`, { color: 'red' }));
    if (n.oneWay.length > 0) segs.push(seg(`${segs.length > 1 ? '   ' : ''}one-way: ${n.oneWay.join(', ')}`, { color: 'yellow' }));
  }
  return segs;
}

/** Acknowledged and lost writes of each workload client so far ("lost": among the run's lost writes, once their node gave up its data). */
export function writesLine(w: readonly WriteCounts[] | null, width: number): Line {
  const head = seg(padEnd(' WRITES', 18), { bold: true });
  if (!w) return [head, seg('—', { dim: true })];
  const segs: Seg[] = [head];
  const long = 18 + w.reduce((n, c) => n + c.client.length + 36, 0) <= width;
  w.forEach((c, i) => {
    if (i > 0) segs.push(seg(' · ', { dim: true }));
    segs.push(seg(`${c.client} `), seg(`${c.acknowledged}${long ? ' acknowledged' : ' ack'}`, { color: 'green' }), seg(', '));
    segs.push(seg(`${c.lost} lost`, c.lost > 0 ? { color: 'red', bold: true } : { dim: true }));
  });
  return segs;
}

/** The log window: `height` lines around the highlighted entry; lines after the cursor are dimmed. */
export function logLines(log: readonly LogEntry[], index: number, height: number, width: number): Line[] {
  if (height <= 0) return [];
  if (log.length === 0) return [[seg(' (no events)', { dim: true })]];
  const before = Math.min(Math.floor((height - 1) / 2), Math.max(0, index));
  let start = Math.max(0, index - before);
  start = Math.max(0, Math.min(start, log.length - height));
  const out: Line[] = [];
  for (let i = start; i < Math.min(log.length, start + height); i++) {
    const e = log[i]!;
    const isCur = i === index;
    const future = i > index;
    const color = e.key ? KEY_COLOR[e.key] : undefined;
    if (isCur) out.push([seg(`▶${e.line}`, { inverse: true, bold: true })]);
    else out.push([seg(` ${e.line}`, { dim: future, color: future ? undefined : color })]);
  }
  void width;
  return out;
}

export function helpLine(width: number, extra: string | null): Line {
  if (extra !== null) return [seg(` ${extra}`, { color: 'yellow' })];
  const items = ['space play/pause', '←/→ event', ',/. 100 ms', '[/] speed', 'n/p key event', 'g time', 'l logs', '? help', 'q quit'];
  let text = ' ';
  for (const it of items) {
    const next = text === ' ' ? ` ${it}` : `${text} · ${it}`;
    if ([...next].length > width) break;
    text = next;
  }
  return [seg(text, { dim: true })];
}

export const HELP_TEXT: readonly string[] = [
  'Keys',
  '  space        play / pause (from the end: play again from the start)',
  '  → / ←        next / previous line of the event log',
  '  . / ,        forward / back one slice of simulated time (100 ms)',
  '  ] / [        faster / slower: ×0.1 … ×1000 of simulated time',
  '  n / p        next / previous key event (+sdown +odown +try-failover',
  '               +elected-leader +switch-master +tilt, faults)',
  '  g            go to a time (42, 42.5s, 1500ms, 2m, 1:30), Enter to go',
  '  home / end   the start / the end of the run',
  '  l            the log: Sentinel events and faults, or every line',
  '  ?            this help (any key closes it)',
  '  q            quit',
  '',
  'Reading the screen',
  '  Timers are the Sentinel\'s own: elapsed / limit from its config.',
  '  down-after: since the first unanswered PING; election: the vote',
  '  wait; failover-timeout: in the current failover state; retry-wait:',
  '  2 × failover-timeout before a new attempt; TILT greys timers.',
  '  A leader needs max(majority of all known Sentinels, quorum) votes.',
  '  TILT: two timer ticks over 2 s apart (paused, starved) or a clock',
  '  going back; for 30 s the Sentinel acts on nothing (no SDOWN, ODOWN',
  '  or failover) and tells the others the master is not down.',
];
