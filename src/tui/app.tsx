import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { INITIAL_UI, screenLines, type UiState } from './layout.js';
import type { Line } from './lines.js';
import { markersOf } from './panels.js';
import { initialPlayback, lastAtOrBefore, parseTimeInput, reducePlayback, type PlaybackAction, type PlaybackState, type PlaybackTimeline } from '../recording/playback.js';
import type { LogEntry, Recording } from '../recording/recording.js';

/**
 * The ink player. All playback logic is the pure reducer (playback.ts); all drawing is the pure
 * screen builder (layout.ts). This component holds the state, reads keys and, while playing,
 * advances the cursor by real time elapsed × speed.
 */

export type LogMode = 'events' | 'all';

export interface AppProps {
  readonly rec: Recording;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  readonly width?: number;
  readonly height?: number;
  /** Real ms between ticks while playing (0: no timer; tests dispatch ticks through `clock`). */
  readonly tickMs?: number;
  /** Real time source for ticks (ms). */
  readonly now?: () => number;
  readonly initialLogMode?: LogMode;
  readonly onQuit?: () => void;
}

/** The scenario's own redis-cli (runner.ts): its replies are part of the story, a workload's are not. */
const SCENARIO_CLI = 'redis-cli';

/**
 * The log a mode shows. 'events': Sentinel events, Sentinel warnings (votes received, failover
 * delays), faults and scenario actions, replies to the scenario's commands. 'all': every line
 * `run` prints (Redis logs, the clients' workload).
 */
export function logFor(rec: Recording, mode: LogMode): LogEntry[] {
  if (mode === 'all') return [...rec.log];
  const sentinels = new Set(rec.procs.filter((p) => p.kind === 'sentinel').map((p) => p.name));
  return rec.log.filter(
    (e) => e.event !== undefined || e.fault !== undefined || e.reply === SCENARIO_CLI || (e.p !== undefined && sentinels.has(e.p) && e.level === 'warning'),
  );
}

export function timelineFor(log: readonly LogEntry[], totalUs: number): PlaybackTimeline {
  const keyIndices: number[] = [];
  log.forEach((e, i) => {
    if (e.key) keyIndices.push(i);
  });
  return { eventTimes: log.map((e) => e.t), keyIndices, totalUs };
}

export function LinesView({ lines }: { readonly lines: readonly Line[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l.length === 0
            ? ' '
            : l.map((s, j) => (
                <Text key={j} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}

function useTerminalSize(fixedW?: number, fixedH?: number): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = () => ({ width: fixedW ?? stdout.columns ?? 80, height: fixedH ?? stdout.rows ?? 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixedW !== undefined && fixedH !== undefined) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

export function App(props: AppProps) {
  const { rec } = props;
  const { exit } = useApp();
  const { width, height } = useTerminalSize(props.width, props.height);
  const [logMode, setLogMode] = useState<LogMode>(props.initialLogMode ?? 'events');
  const log = useMemo(() => logFor(rec, logMode), [rec, logMode]);
  const tl = useMemo(() => timelineFor(log, rec.totalUs), [log, rec.totalUs]);
  const markers = useMemo(() => markersOf(rec.log), [rec]);
  const [pb, setPb] = useState<PlaybackState>(() => initialPlayback(tl));
  const [ui, setUiState] = useState<UiState>(INITIAL_UI);
  // The key handler reads the latest UI state and log mode through refs: keys can arrive faster
  // than renders, and a handler from an older render must not act on stale state.
  const uiRef = useRef(ui);
  const setUi = (next: UiState) => {
    uiRef.current = next;
    setUiState(next);
  };
  const logModeRef = useRef(logMode);
  const tlRef = useRef(tl);
  tlRef.current = tl;
  const dispatch = useCallback((a: PlaybackAction) => setPb((s) => reducePlayback(tlRef.current, s, a)), []);

  // Playing: advance by the real time elapsed since the last tick.
  const now = props.now ?? (() => performance.now());
  const tickMs = props.tickMs ?? 50;
  useEffect(() => {
    if (!pb.playing || tickMs <= 0) return;
    let last = now();
    const id = setInterval(() => {
      const t = now();
      dispatch({ type: 'tick', realMs: t - last });
      last = t;
    }, tickMs);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pb.playing, tickMs, dispatch]);

  const quit = () => {
    props.onQuit?.();
    exit();
  };

  // Keys typed quickly (or pasted) can arrive as one chunk ("xq"): take printable ones one by one.
  useInput((input, key) => {
    if (input.length > 1 && !key.ctrl && !key.meta && !input.includes('\u001b')) {
      for (const ch of input) onKey(ch === '\r' ? '' : ch, { ...key, return: ch === '\r', backspace: false, delete: false, escape: false });
    } else onKey(input, key);
  });

  function onKey(input: string, key: Key): void {
    const ui = uiRef.current;
    if (ui.gotoText !== null) {
      if (key.escape) setUi({ ...ui, gotoText: null });
      else if (key.return) {
        const us = parseTimeInput(ui.gotoText);
        if (us === undefined) setUi({ ...ui, gotoText: null, message: `"${ui.gotoText}" is not a time (try 42, 42.5s, 1500ms, 2m or 1:30)` });
        else {
          dispatch({ type: 'goto', us });
          setUi({ ...ui, gotoText: null, message: null });
        }
      } else if (key.backspace || key.delete) setUi({ ...ui, gotoText: ui.gotoText.slice(0, -1) });
      else if (/^[0-9a-z.:]$/i.test(input)) setUi({ ...ui, gotoText: ui.gotoText + input });
      return;
    }
    if (ui.help) {
      if (input === 'q') quit();
      else setUi({ ...ui, help: false });
      return;
    }
    if (ui.message !== null) setUi({ ...ui, message: null });
    if (input === 'q' || (key.ctrl && input === 'c')) quit();
    else if (input === ' ') dispatch({ type: 'toggle' });
    else if (key.rightArrow) dispatch({ type: 'nextEvent' });
    else if (key.leftArrow) dispatch({ type: 'prevEvent' });
    else if (input === '.') dispatch({ type: 'slice', dir: 1 });
    else if (input === ',') dispatch({ type: 'slice', dir: -1 });
    else if (input === ']') dispatch({ type: 'faster' });
    else if (input === '[') dispatch({ type: 'slower' });
    else if (input === 'n') dispatch({ type: 'nextKey' });
    else if (input === 'p') dispatch({ type: 'prevKey' });
    else if (key.home) dispatch({ type: 'start' });
    else if (key.end) dispatch({ type: 'end' });
    else if (input === 'g') setUi({ ...ui, gotoText: '', message: null });
    else if (input === '?') setUi({ ...ui, help: true });
    else if (input === 'l') {
      const mode: LogMode = logModeRef.current === 'events' ? 'all' : 'events';
      const next = logFor(rec, mode);
      logModeRef.current = mode;
      tlRef.current = timelineFor(next, rec.totalUs);
      setLogMode(mode);
      // The same cursor time; the highlight moves to the new log's line at or before it.
      setPb((s) => ({ ...s, index: lastAtOrBefore(next.map((e) => e.t), s.cursorUs) }));
      setUi({ ...ui, message: mode === 'all' ? 'log: every line (Redis too) · l: Sentinel events and faults only' : 'log: Sentinel events and faults · l: every line' });
    }
  }

  const lines = screenLines({ rec, log, markers, pb, ui, width, height, logMode });
  return <LinesView lines={lines} />;
}
