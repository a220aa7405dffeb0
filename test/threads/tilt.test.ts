import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { recordScenario } from '../../src/recording/record.js';
import { screenText } from '../../src/tui/command.js';
import { screenModel } from '../../src/tui/view.js';
import { HELP_TEXT } from '../../src/tui/panels.js';

const FILE = 'test/threads/fixtures/tilt-causes.yaml';

describe('redis/redis#10547, bitnami/charts#9689: a Sentinel enters TILT; what triggered it', () => {
  it('a 5 s pause and a clock step either way each put that Sentinel in TILT for 30 s, with Sentinel\'s own lines', () => {
    const res = runScenario(loadScenario(FILE));
    expect(res.expectations.filter((e) => !e.pass).map((e) => e.name)).toEqual([]);
    const lines = res.records.filter((x) => x.k === 'event' && /tilt/.test(String(x.event))).map((x) => `${x.p} ${x.event} ${x.text}`);
    expect(lines).toEqual([
      'sentinel1 +tilt #tilt mode entered', 'sentinel1 -tilt #tilt mode exited',
      'sentinel2 +tilt #tilt mode entered', 'sentinel3 +tilt #tilt mode entered',
      'sentinel2 -tilt #tilt mode exited', 'sentinel3 -tilt #tilt mode exited',
    ]);
    const at = (p: string, ev: string) => res.records.find((x) => x.k === 'event' && x.p === p && x.event === ev)!.t / 1e6;
    // SENTINEL_TILT_PERIOD: 30 s on the Sentinel's own clock, also after its clock stepped back.
    for (const p of ['sentinel1', 'sentinel2', 'sentinel3']) {
      expect(at(p, '-tilt') - at(p, '+tilt')).toBeGreaterThanOrEqual(30);
      expect(at(p, '-tilt') - at(p, '+tilt')).toBeLessThan(30.2);
    }
  });

  it('the player says which gap or clock step triggered it, on the bottom line while the Sentinel is in TILT', () => {
    const rec = recordScenario(loadScenario(FILE));
    expect(screenModel(rec, 30_000_000).tiltNote).toBe('sentinel1 in TILT: paused 20.0–25.0 s, its timer saw a 5.0 s gap (over 2 s); for 30 s it acts on nothing (no SDOWN, ODOWN or failover) · ? help');
    expect(screenModel(rec, 60_500_000).tiltNote).toMatch(/^sentinel2 in TILT: the clock of redis2 went back 30 s; for 30 s it acts on nothing/);
    const both = screenModel(rec, 61_500_000);
    expect(both.sentinels.filter((s) => s.tilt !== null).map((s) => s.name)).toEqual(['sentinel2', 'sentinel3']);
    expect(screenModel(rec, 70_000_000).tiltNote).toMatch(/^sentinel2 in TILT: the clock of redis2 went back 30 s;/);
    expect(screenModel(rec, 85_000_000).tiltNote).toMatch(/^sentinel2 /);
    expect(screenModel(rec, 90_500_000).tiltNote).toMatch(/^sentinel3 in TILT: the clock of redis3 jumped ahead 30 s \(a tick gap over 2 s\);/);
    expect(screenModel(rec, 95_000_000).tiltNote).toBeNull();
    expect(screenModel(rec, 10_000_000).tiltNote).toBeNull();
    const screen = screenText(rec, 30_000_000, 160, 40).split('\n');
    expect(screen.at(-1)).toContain('sentinel1 in TILT: paused 20.0–25.0 s');
  });
});

describe('redis/redis#4654: "what is TILT mode?"', () => {
  it('the player\'s help says what triggers TILT and what a Sentinel in TILT does not do', () => {
    const help = HELP_TEXT.join(' ').replace(/\s+/g, ' ');
    expect(help).toContain('TILT: two timer ticks over 2 s apart (paused, starved) or a clock going back; for 30 s the Sentinel acts on nothing (no SDOWN, ODOWN or failover) and tells the others the master is not down.');
    // The whole help fits an 80×24 terminal (header and bottom line around it).
    expect(HELP_TEXT.length).toBeLessThanOrEqual(22);
  });
});
