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
    expect(p.header()).toMatch(/zato-crash · seed 1 · t 0\.000 s \/ 60\.000 s · ‖ ×4 · epoch 0/);
  });

  it('n / p: next and previous key event', async () => {
    const p = start();
    await p.press('n');
    expect(p.cursorLine()).toMatch(/^▶20\.000 -- crash node1/);
    expect(p.header()).toContain('t 20.000 s');
    await p.press('n');
    expect(p.cursorLine()).toMatch(/\+sdown master redis-ha/);
    await p.press('p');
    expect(p.cursorLine()).toMatch(/crash node1/);
  });

  it('→ / ←: one line of the log at a time', async () => {
    const p = start();
    await p.press('n');
    const atCrash = p.cursorLine();
    await p.press(RIGHT);
    const next = p.cursorLine();
    expect(next).not.toBe(atCrash);
    await p.press(LEFT);
    expect(p.cursorLine()).toBe(atCrash);
  });

  it('. and , move 100 ms of simulated time', async () => {
    const p = start();
    await p.press('.', '.', '.');
    expect(p.header()).toContain('t 0.300 s');
    await p.press(',');
    expect(p.header()).toContain('t 0.200 s');
  });

  it('] / [ change the speed', async () => {
    const p = start();
    await p.press(']');
    expect(p.header()).toContain('×10');
    await p.press('[', '[', '[');
    expect(p.header()).toContain('×1 ');
    for (let i = 0; i < 20; i++) await p.press(']');
    expect(p.header()).toContain('×1000');
  });

  it('space plays and pauses', async () => {
    const p = start();
    await p.press(' ');
    expect(p.header()).toContain('▶ ×4');
    await p.press(' ');
    expect(p.header()).toContain('‖ ×4');
  });

  it('playing advances the cursor by real time × speed', async () => {
    let now = 0;
    const p = start({ tickMs: 5, now: () => (now += 250) });
    await p.press(']', ']', ']'); // ×50
    await p.press(' ');
    await new Promise((r) => setTimeout(r, 60));
    await p.press(' ');
    const t = Number(/t (\d+\.\d+) s/.exec(p.header())![1]);
    expect(t).toBeGreaterThan(10);
  });

  it('g: go to a typed time; a bad time is said so', async () => {
    const p = start();
    await p.press('g', '3', '1', '.', '2', ENTER);
    expect(p.header()).toContain('t 31.200 s');
    await p.press('g', '1', 'm', ENTER);
    expect(p.header()).toContain('t 60.000 s');
    await p.press('g', 'x', ENTER);
    expect(p.screen()).toContain('"x" is not a time');
    await p.press('g', '5', ESC);
    expect(p.header()).toContain('t 60.000 s');
  });

  it('? shows the help and any key closes it', async () => {
    const p = start();
    await p.press('?');
    expect(p.screen()).toContain('n / p        next / previous key event');
    await p.press('x');
    expect(p.screen()).toContain('REDIS');
  });

  it('l switches between Sentinel events and every log line', async () => {
    const p = start();
    await p.press('g', '2', '0', '.', '5', ENTER);
    expect(p.screen()).not.toContain('Connection with master lost');
    await p.press('l', ',', ',', ',', ',', ',');
    expect(p.screen()).toContain('Connection with master lost');
    await p.press('l');
    expect(p.screen()).not.toContain('Connection with master lost');
  });

  it('home / end', async () => {
    const p = start();
    await p.press('\u001B[F');
    expect(p.header()).toContain('t 60.000 s');
    await p.press('\u001B[H');
    expect(p.header()).toContain('t 0.000 s');
  });

  it('keys that arrive in one chunk are taken one by one', async () => {
    const p = start();
    await p.press('nn');
    expect(p.cursorLine()).toMatch(/\+sdown master redis-ha/);
    await p.press('g31.2\r');
    expect(p.header()).toContain('t 31.200 s');
    await p.press('?xq');
    expect(p.quits()).toBe(1);
  });

  it('q quits', async () => {
    const p = start();
    await p.press('q');
    expect(p.quits()).toBe(1);
  });
});
