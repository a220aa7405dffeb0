import { createHash } from 'node:crypto';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TimelineData } from './timeline.js';

/**
 * The picture of a run: a Vega-Lite timeline rendered to SVG in Node (no browser, no canvas) and
 * a self-contained HTML page around it. The page has no script and loads nothing: every byte it
 * shows is in the file.
 */

const STATE_COLOURS: Readonly<Record<string, string>> = {
  'master (writable)': '#2e7d32', 'master (refusing writes)': '#6d4c41', replica: '#90caf9', down: '#424242', paused: '#9e9e9e',
  SDOWN: '#ffb74d', ODOWN: '#e65100', TILT: '#8e24aa',
  election: '#fffde7', 'select-slave': '#fff176', 'send-slaveof-noone': '#ffee58', 'wait-promotion': '#fdd835', 'reconf-slaves': '#f9a825',
  vote: '#1565c0', 'write acknowledged': '#66bb6a', 'write lost': '#d50000',
};

export function timelineSpec(d: TimelineData, widthPx = 1000): vl.TopLevelSpec {
  const y = { field: 'lane', type: 'nominal', sort: [...d.lanes], title: null, axis: { labelLimit: 220, labelFontSize: 12 } } as const;
  const x = { field: 'from', type: 'quantitative', title: 'simulated time (s)', scale: { domain: [0, d.endS] } } as const;
  const colour = { field: 'state', type: 'nominal', title: 'state', scale: { domain: Object.keys(STATE_COLOURS), range: Object.values(STATE_COLOURS) } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: widthPx,
    height: { step: 26 },
    background: 'white',
    layer: [
      {
        data: { values: d.lanes.map((lane) => ({ lane })) },
        mark: { type: 'tick', opacity: 0 },
        encoding: { y },
      },
      {
        data: { values: d.bands.map((b) => ({ ...b })) },
        mark: { type: 'rect', color: '#e53935', opacity: 0.12 },
        encoding: { x: { ...x }, x2: { field: 'to' }, tooltip: [{ field: 'what' }] },
      },
      {
        data: { values: d.bands.map((b) => ({ ...b })) },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: -14, color: '#b71c1c', fontSize: 11 },
        encoding: { x: { ...x }, y: { value: 0 }, text: { field: 'what' } },
      },
      {
        data: { values: d.spans.map((sp) => ({ ...sp })) },
        mark: { type: 'bar', height: 16 },
        encoding: { x, x2: { field: 'to' }, y, color: colour, tooltip: [{ field: 'lane' }, { field: 'state' }, { field: 'from' }, { field: 'to' }] },
      },
      {
        data: { values: d.points.map((p) => ({ lane: p.lane, from: p.at, state: p.what, detail: p.detail })) },
        mark: { type: 'tick', thickness: 2, size: 16 },
        encoding: { x, y, color: colour, tooltip: [{ field: 'detail' }, { field: 'from' }] },
      },
    ],
    config: { axis: { grid: true, gridColor: '#eeeeee' }, legend: { orient: 'bottom', columns: 6 } },
  } as vl.TopLevelSpec;
}

export async function timelineSvg(d: TimelineData): Promise<string> {
  const compiled = vl.compile(timelineSpec(d)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface PageInput {
  readonly title: string;
  readonly subtitle: string;
  readonly sentences: readonly string[];
  readonly verdicts: readonly string[];
  readonly svg: string;
}

/** One HTML file: no script, no external resource (a Content-Security-Policy forbids loading any). */
export function htmlPage(p: PageInput): string {
  const id = createHash('sha256').update(p.svg).digest('hex').slice(0, 12);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(p.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #212121; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #616161; margin: 0 0 12px; }
.story li { margin: 2px 0; }
.verdicts { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; background: #fafafa; border: 1px solid #eee; padding: 8px; }
.timeline { overflow-x: auto; border: 1px solid #eee; padding: 8px 0; }
</style>
</head>
<body>
<h1>${esc(p.title)}</h1>
<p class="sub">${esc(p.subtitle)}</p>
<ul class="story">
${p.sentences.map((s) => `<li>${esc(s)}</li>`).join('\n')}
</ul>
<div class="timeline" id="timeline-${id}">
${p.svg}
</div>
<h2>Expectations</h2>
<div class="verdicts">${esc(p.verdicts.join('\n'))}</div>
</body>
</html>
`;
}
