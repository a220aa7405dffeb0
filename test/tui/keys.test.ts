import { cleanup, render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type AppProps } from '../../src/tui/app.js';
import { recording, stripAnsi } from './recordings.js';

/**
 * The app driven through a test stdin (ink-testing-library with ink 6): keys go in as the bytes a
 * terminal sends, the screen comes back as text.
 */

afterEach(() => cleanup());

const RIGHT = '\u001B[C';
const LEFT = '\u001B[D';
const ENTER = '\r';
const ESC = '\u001B';

const tick = () => new Promise((r) => setTimeout(r, 50));
// Each key is drawn after ink's own scheduling; under load that can take longer than one tick, so
// assertions poll the screen (up to 15 s, measured: 5 s was passed at load average 20) instead of trusting a fixed wait.
const POLL = { timeout: 15_000, interval: 20 };

function start(props: Partial<AppProps> = {}) {
  let quit = 0;
  const app = render(createElement(App, { rec: recording('zato-crash'), width: 100, height: 30, tickMs: 0, onQuit: () => quit++, ...props }));
  const screen = () => stripAnsi(app.lastFrame() ?? '');
  const header = () => screen().split('\n')[0]!;
  const cursorLine = () => screen().split('\n').find((l) => l.startsWith('▶')) ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await tick();
    }
  };
  return { app, screen, header, cursorLine, press, quits: () => quit };
}

describe('keys', () => {
  it('opens paused at 0 at ×4', async () => {
    const p = start();
    await tick();
    await expect.poll(() => p.header(), POLL).toMatch(/zato-crash · seed 1 · t 0\.000 s \/ 60\.000 s · ‖ ×4 · epoch 0/);
  });

  it('n / p: next and previous key event', async () => {
    const p = start();
    await p.press('n');
    await expect.poll(() => p.cursorLine(), POLL).toMatch(/^▶20\.000 -- crash node1/);
    await expect.poll(() => p.header(), POLL).toContain('t 20.000 s');
    await p.press('n');
    await expect.poll(() => p.cursorLine(), POLL).toMatch(/\+sdown master redis-ha/);
    await p.press('p');
    await expect.poll(() => p.cursorLine(), POLL).toMatch(/crash node1/);
  });

  it('→ / ←: one line of the log at a time', async () => {
    const p = start();
    await p.press('n');
    await expect.poll(() => p.cursorLine(), POLL).toMatch(/^▶20\.000 -- crash node1/);
    const atCrash = p.cursorLine();
    await p.press(RIGHT);
    await expect.poll(() => p.cursorLine(), POLL).not.toBe(atCrash);
    await p.press(LEFT);
    await expect.poll(() => p.cursorLine(), POLL).toBe(atCrash);
  });

  it('. and , move 100 ms of simulated time', async () => {
    const p = start();
    await p.press('.', '.', '.');
    await expect.poll(() => p.header(), POLL).toContain('t 0.300 s');
    await p.press(',');
    await expect.poll(() => p.header(), POLL).toContain('t 0.200 s');
  });

  it('] / [ change the speed', async () => {
    const p = start();
    await p.press(']');
    await expect.poll(() => p.header(), POLL).toContain('×10');
    await p.press('[', '[', '[');
    await expect.poll(() => p.header(), POLL).toContain('×1 ');
    for (let i = 0; i < 20; i++) await p.press(']');
    await expect.poll(() => p.header(), POLL).toContain('×1000');
  });

  it('space plays and pauses', async () => {
    const p = start();
    await p.press(' ');
    await expect.poll(() => p.header(), POLL).toContain('▶ ×4');
    await p.press(' ');
    await expect.poll(() => p.header(), POLL).toContain('‖ ×4');
  });

  it('playing advances the cursor by real time × speed', async () => {
    let now = 0;
    const p = start({ tickMs: 5, now: () => (now += 250) });
    await p.press(']', ']', ']');
    await expect.poll(() => p.header(), POLL).toContain('×50');
    await p.press(' ');
    // Each player tick reads the fake clock once (+250 ms), so one tick at ×50 moves 12.5 s: the
    // cursor passes 10 s after the first tick, however late the loaded machine runs it.
    const simulatedS = () => Number(/t (\d+\.\d+) s/.exec(p.header())?.[1] ?? NaN);
    await expect.poll(simulatedS, POLL).toBeGreaterThan(10);
    await p.press(' ');
    await expect.poll(() => p.header(), POLL).toContain('‖');
  });

  it('g: go to a typed time; a bad time is said so', async () => {
    const p = start();
    await p.press('g', '3', '1', '.', '2', ENTER);
    await expect.poll(() => p.header(), POLL).toContain('t 31.200 s');
    await p.press('g', '1', 'm', ENTER);
    await expect.poll(() => p.header(), POLL).toContain('t 60.000 s');
    await p.press('g', 'x', ENTER);
    await expect.poll(() => p.screen(), POLL).toContain('"x" is not a time');
    await p.press('g', '5', ESC);
    await expect.poll(() => p.header(), POLL).toContain('t 60.000 s');
  });

  it('? shows the help and any key closes it', async () => {
    const p = start();
    await p.press('?');
    await expect.poll(() => p.screen(), POLL).toContain('n / p        next / previous key event');
    await p.press('x');
    await expect.poll(() => p.screen(), POLL).toContain('REDIS');
    await expect.poll(() => p.screen(), POLL).not.toContain('next / previous key event');
  });

  it('l switches between Sentinel events and every log line', async () => {
    const p = start();
    await p.press('g', '2', '0', '.', '5', ENTER);
    await expect.poll(() => p.screen(), POLL).not.toContain('Connection with master lost');
    await p.press('l', ',', ',', ',', ',', ',');
    await expect.poll(() => p.screen(), POLL).toContain('Connection with master lost');
    await p.press('l');
    await expect.poll(() => p.screen(), POLL).not.toContain('Connection with master lost');
  });

  it('home / end', async () => {
    const p = start();
    await p.press('\u001B[F');
    await expect.poll(() => p.header(), POLL).toContain('t 60.000 s');
    await p.press('\u001B[H');
    await expect.poll(() => p.header(), POLL).toContain('t 0.000 s');
  });

  it('keys that arrive in one chunk are taken one by one', async () => {
    const p = start();
    await p.press('nn');
    await expect.poll(() => p.cursorLine(), POLL).toMatch(/\+sdown master redis-ha/);
    await p.press('g31.2\r');
    await expect.poll(() => p.header(), POLL).toContain('t 31.200 s');
    await p.press('?xq');
    await expect.poll(() => p.quits(), POLL).toBe(1);
  });

  it('q quits', async () => {
    const p = start();
    await p.press('q');
    await expect.poll(() => p.quits(), POLL).toBe(1);
  });
});
