import { produce } from 'immer';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { FAILOVER_STATE_NAMES, FS } from '../../src/sentinel/state.js';
import type { SentinelView } from '../../src/sentinel/view.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { screenText } from '../../src/tui/command.js';
import { recordScenario } from '../../src/recording/record.js';
import { LinesView, logFor, timelineFor } from '../../src/tui/app.js';
import { INITIAL_UI, screenLines } from '../../src/tui/layout.js';
import { plain } from '../../src/tui/lines.js';
import { markersOf, sentinelLines, voteLine } from '../../src/tui/panels.js';
import { initialPlayback, reducePlayback } from '../../src/recording/playback.js';
import { frameAt, type Frame, type Recording } from '../../src/recording/recording.js';
import { loadTraceText, TRACE_NOTE } from '../../src/recording/traceFile.js';
import { screenModel, shortNames } from '../../src/tui/view.js';
import { recording, stripAnsi } from './recordings.js';

/**
 * The panels rendered to text on states the simulator produced: the fixture scenarios are run
 * once, and the panels are drawn at chosen instants. Snapshots are plain text (styles are checked
 * through ink separately).
 */

afterEach(() => cleanup());

const sentinelText = (rec: Recording, us: number, width = 100) =>
  sentinelLines(screenModel(rec, us).sentinels, width, { timers: true, extraTimerLines: true }).map(plain).join('\n');

/** First frame time at which some Sentinel's failover state is `state`. */
function firstFrameWith(rec: Recording, state: string): number | undefined {
  for (const f of rec.frames) if (screenModel(rec, f.t).sentinels.some((s) => s.failoverState === state)) return f.t;
  return undefined;
}

describe('a Sentinel in each failover state (zato, the master crashes at 20 s)', () => {
  const states: [string, string | null][] = [
    ['wait-start', 'election-timeout'],
    ['select-slave', null],
    ['send-slaveof-noone', 'failover-timeout'],
    ['wait-promotion', 'failover-timeout'],
    ['reconf-slaves', 'failover-timeout'],
  ];
  for (const [state, timer] of states) {
    it(state, () => {
      const rec = recording('zato-crash');
      const t = firstFrameWith(rec, state);
      expect(t, `no frame with a Sentinel in ${state}`).toBeDefined();
      const text = sentinelText(rec, t!);
      const leader = text.split('\n').find((l) => l.includes(` ${state} `))!;
      expect(leader).toMatch(/S O/);
      if (timer) expect(text).toContain(timer);
      expect(text).toMatchSnapshot();
    });
  }

  it('update-config: never visible between events (the same timer tick switches the master), drawn on the reconf-slaves state', () => {
    const rec = recording('zato-crash');
    const names = ['wait-start', 'select-slave', 'send-slaveof-noone', 'wait-promotion', 'reconf-slaves', 'update-config'];
    expect(firstFrameWith(rec, 'update-config')).toBeUndefined();
    const t = firstFrameWith(rec, 'reconf-slaves')!;
    const f = frameAt(rec, t)!;
    const i = f.states.findIndex((s, k) => rec.procs[k]!.kind === 'sentinel' && (s as SentinelView).masters[0]!.failoverState === FAILOVER_STATE_NAMES[FS.RECONF_SLAVES]);
    const edited = produce(f.states[i] as SentinelView, (d) => {
      d.masters[0]!.failoverState = FAILOVER_STATE_NAMES[FS.UPDATE_CONFIG];
    });
    const frame: Frame = { ...f, states: f.states.map((s, k) => (k === i ? edited : s)) };
    const one: Recording = { ...rec, frames: [frame], frameTimes: [frame.t] };
    const text = sentinelText(one, t);
    expect(text).toContain('update-config');
    expect(text).toMatchSnapshot();
    // Every other failover state is drawn under its own name too.
    names.forEach((name, k) => {
      const st = produce(f.states[i] as SentinelView, (d) => {
        d.masters[0]!.failoverState = FAILOVER_STATE_NAMES[k + 1]!;
      });
      const shown = sentinelText({ ...rec, frames: [{ ...f, states: f.states.map((s, j) => (j === i ? st : s)) }], frameTimes: [f.t] }, t);
      expect(shown, name).toContain(name);
      for (const other of names) if (other !== name && !name.includes(other)) expect(shown, `${name} shows ${other}`).not.toContain(other);
    });
  });

  it('no failover: dashes, and no timer while every PING is answered', () => {
    const rec = recording('zato-crash');
    const text = sentinelText(rec, 15_000_000);
    expect(text).not.toMatch(/S O|wait|TILT/);
    expect(text).toMatchSnapshot();
  });
});

describe('TILT (sentinel1 stopped 5 s, then resumed)', () => {
  it('shows TILT elapsed/limit in the flags and greys the Sentinel as watching, not acting', () => {
    const rec = recording('zato-tilt');
    const text = sentinelText(rec, 27_000_000);
    expect(text).toMatch(/sentinel1 +TILT 2\.0\/30 s/);
    expect(text).toMatchSnapshot();
    const later = sentinelText(rec, 54_000_000);
    expect(later).toContain('TILT 29.0/30 s');
    expect(sentinelText(rec, 56_000_000)).not.toContain('TILT');
  });

  it('a paused Sentinel reads "paused"', () => {
    const rec = recording('zato-tilt');
    expect(sentinelText(rec, 22_000_000)).toMatch(/sentinel1 +paused/);
  });
});

describe('a split vote (4 Sentinels cut 2 | 2 while the master is down)', () => {
  const vote = (rec: Recording, us: number) => plain(voteLine(screenModel(rec, us).votes, 100));

  it('both candidates have 2 votes of the 3 needed: counting, then no winner', () => {
    const rec = recording('four-split-vote');
    const counting = vote(rec, 27_000_000);
    expect(counting).toMatch(/s2 ●●○ 2 +s3 ●●○ 2/);
    expect(counting).toContain('needs max(majority 3 of 4, quorum 2) = 3');
    expect(counting).toContain('counting');
    const after = vote(rec, 37_000_000);
    expect(after).toContain('✗ no winner (split vote)');
    expect(`${counting}\n${after}\n${sentinelText(rec, 27_000_000)}`).toMatchSnapshot();
  });

  it('the network row shows the two sides', () => {
    const rec = recording('four-split-vote');
    expect(screenText(rec, 27_000_000, 100, 30)).toContain('NETWORK          [h1 h2] ✕ [h3 h4]');
    expect(screenText(rec, 10_000_000, 100, 30)).toContain('h1 ⇄ h2 ⇄ h3 ⇄ h4   no partition');
  });
});

describe('the whole screen', () => {
  const switchAt = (rec: Recording) => ({ entry: rec.log.find((e) => e.event === '+switch-master')! });

  it('fits 80×24 exactly and keeps at least 5 log lines', () => {
    const rec = recording('zato-crash');
    const text = screenText(rec, switchAt(rec), 80, 24);
    const lines = text.split('\n');
    expect(lines).toHaveLength(24);
    for (const l of lines) expect([...l].length).toBe(80);
    expect(lines.filter((l) => /^[ ▶]\d+\.\d{3} /.test(l)).length).toBeGreaterThanOrEqual(5);
    // Every section, in order (the numbers are the model's and change with it: not snapshotted).
    const order = [' zato-crash · seed 1 · t ', ' [', ' REDIS', ' node1', ' SENTINEL', ' sentinel1', ' VOTES @ epoch 1', ' NETWORK', '▶', ' space play/pause'];
    let at = -1;
    for (const o of order) {
      const i = lines.findIndex((l, k) => k > at && l.startsWith(o));
      expect(i, o).toBeGreaterThan(at);
      at = i;
    }
    expect(lines.find((l) => l.startsWith('▶'))).toMatch(/\+switch-master redis-ha 127\.0\.0\.1 16300/);
    expect(text).toContain('✓ elected');
  });

  it('uses the room of 160×50: longer lines, more of the log', () => {
    const rec = recording('zato-crash');
    const text = screenText(rec, switchAt(rec), 160, 50);
    const lines = text.split('\n');
    expect(lines).toHaveLength(50);
    for (const l of lines) expect([...l].length).toBe(160);
    expect(lines.filter((l) => /^[ ▶]\d+\.\d{3} /.test(l)).length).toBeGreaterThan(20);
    // Wide enough for the full timer labels and the whole vote rule.
    expect(text).toContain('failover-timeout ');
    expect(text).toMatch(/needs max\(majority 2 of 3, quorum 2\) = 2 +✓ elected/);
  });

  it('folds blank lines, extra timers, the network row and the marker labels before the log drops under 5 lines', () => {
    const rec = recording('four-split-vote');
    const full = screenText(rec, 27_000_000, 80, 40).split('\n');
    expect(full.some((l) => l.startsWith(' NETWORK'))).toBe(true);
    for (const h of [24, 20, 18]) {
      const lines = screenText(rec, 27_000_000, 80, h).split('\n');
      expect(lines).toHaveLength(h);
      expect(lines.filter((l) => /^[ ▶]\d+\.\d{3} /.test(l)).length).toBeGreaterThanOrEqual(5);
    }
    const h20 = screenText(rec, 27_000_000, 80, 20).split('\n');
    expect(h20.some((l) => l.includes('retry-wait'))).toBe(false);
    expect(h20.some((l) => l.startsWith(' NETWORK'))).toBe(true);
    const h18 = screenText(rec, 27_000_000, 80, 18).split('\n');
    expect(h18.some((l) => l.startsWith(' NETWORK'))).toBe(false);
  });

  it('folds the timer column when the width leaves no room for it', () => {
    const rec = recording('four-split-vote');
    expect(screenText(rec, 27_000_000, 80, 30)).toContain('down-after');
    expect(screenText(rec, 27_000_000, 60, 30)).not.toContain('down-after');
  });

  it('is the same text through ink (no wrapping, no lost columns)', () => {
    const rec = recording('zato-crash');
    const log = logFor(rec, 'events');
    const tl = timelineFor(log, rec.totalUs);
    const pb = reducePlayback(tl, initialPlayback(tl), { type: 'goto', us: switchAt(rec).entry.t });
    const lines = screenLines({ rec, log, markers: markersOf(rec.log), pb, ui: INITIAL_UI, width: 80, height: 24, logMode: 'events' });
    const { lastFrame } = render(createElement(LinesView, { lines }));
    expect(stripAnsi(lastFrame()!).split('\n').map((l) => l.trimEnd())).toEqual(lines.map((l) => plain(l).trimEnd()));
  });

  it('is deterministic: recording again gives the same screens', () => {
    const a = recording('four-split-vote');
    const b = recordScenario(loadScenario('test/tui/fixtures/four-split-vote.yaml'));
    for (const t of [0, 20_000_000, 25_887_000, 27_000_000, 37_000_000, 60_000_000]) expect(screenText(b, t, 100, 30)).toBe(screenText(a, t, 100, 30));
  });
});

describe('a saved trace (events only)', () => {
  const jsonl = [
    { timeMs: 0, process: 'sentinel1', level: 'warning', event: '+monitor', text: 'master redis-ha 127.0.0.1 16300 quorum 2' },
    { timeMs: 40023.4, process: 'sentinel2', level: 'warning', event: '+sdown', text: 'master redis-ha 127.0.0.1 16300' },
    { timeMs: 40133, process: 'sentinel3', level: 'warning', event: '+odown', text: 'master redis-ha 127.0.0.1 16300 #quorum 2/2' },
    { timeMs: 41234, process: 'sentinel1', level: 'warning', event: '+switch-master', text: 'redis-ha 127.0.0.1 16300 127.0.0.2 26300' },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n');

  it('shows the timeline and the log, and says the state panels need the scenario', () => {
    const rec = loadTraceText(jsonl, 'saved.jsonl');
    expect(rec.frames).toEqual([]);
    expect(rec.log.map((e) => e.key)).toEqual([null, 'sdown', 'odown', 'switch']);
    const text = screenText(rec, 40_133_000, 80, 24);
    expect(text).toContain(TRACE_NOTE.slice(0, 60));
    expect(text).toContain('▶40.133 sentinel3 # +odown master redis-ha 127.0.0.1 16300 #quorum 2/2');
    expect(text).not.toContain('REDIS');
    expect(text).toMatchSnapshot();
  });

  it('names the line of a bad trace', () => {
    expect(() => loadTraceText('{"timeMs": 1, "event": "+sdown"}\nnot json\n', 'bad.jsonl')).toThrow(/^bad\.jsonl:2: not a JSON line/);
    expect(() => loadTraceText('{"hello": 1}\n', 'bad.jsonl')).toThrow(/^bad\.jsonl:1: /);
  });
});

describe('short names for vote columns', () => {
  it('cuts a common prefix', () => {
    expect(shortNames(['sentinel1', 'sentinel2', 'sentinel3'])).toEqual(['s1', 's2', 's3']);
    expect(shortNames(['redis-sentinel-1', 'redis-sentinel-2'])).toEqual(['s1', 's2']);
    expect(shortNames(['s1', 's2', 's3', 's4'])).toEqual(['s1', 's2', 's3', 's4']);
    expect(shortNames(['sentinel-a', 'sentinel-b'])).toEqual(['sa', 'sb']);
  });
});
