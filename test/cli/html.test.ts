import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/**
 * `run --html FILE`: one page, no script, no request; the SVG timeline has a lane per process with
 * marks in it. Opened in Debian's headless Chromium (installed by .ci/run).
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('run --html', () => {
  it('writes one self-contained page: no script, no external reference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-'));
    const file = join(dir, 'run.html');
    const r = await cli(['run', 'scenarios/zato-partition-minority-master.yaml', '--html', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['run.html']);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain('<svg');
    expect(html).toContain('the network split (redis1,zato1 | redis2,redis3) at 30.000 s');
  });

  it('a bad --html path is refused before the run, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-'));
    const r = await cli(['run', 'scenarios/zato-stop-master.yaml', '--html', join(dir, 'no', 'such', 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it.skipIf(!existsSync(CHROMIUM))('loads in headless Chromium without errors or requests, and draws every lane', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-'));
    const file = join(dir, 'run.html');
    const r = await cli(['run', 'scenarios/zato-partition-minority-master.yaml', '--html', file]);
    expect(r.code, r.stderr).toBe(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (q) => requests.push(q.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url);
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      // Marks per lane: the y-axis labels, and every bar or tick whose vertical centre is in that label's row.
      const perLane = await page.evaluate(() => {
        const labels = [...document.querySelectorAll('svg .role-axis-label text')].map((t) => ({ name: t.textContent ?? '', box: t.getBoundingClientRect() }));
        const visible = (e: Element): boolean => { for (let x: Element | null = e; x; x = x.parentElement) if (x.getAttribute('opacity') === '0' || x.getAttribute('fill-opacity') === '0') return false; return true; };
        const marks = [...document.querySelectorAll('svg g.role-mark path')].filter(visible);
        const counts: Record<string, number> = {};
        for (const l of labels) counts[l.name] = 0;
        for (const m of marks) {
          const b = m.getBoundingClientRect();
          const mid = b.top + b.height / 2;
          for (const l of labels) if (b.height < 40 && Math.abs(mid - (l.box.top + l.box.height / 2)) < 8) counts[l.name]!++;
        }
        return counts;
      });
      for (const lane of ['node1', 'node2', 'node3', 'sentinel2', 'sentinel3']) expect(perLane[lane], lane).toBeGreaterThan(0);
      // node1 is master then replica after the heal: two spans; the zato client's writes: one tick each.
      expect(perLane['node1']).toBeGreaterThanOrEqual(2);
      expect(perLane['votes, epoch 1']).toBeGreaterThan(0);
      expect(perLane['zato writes']).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
