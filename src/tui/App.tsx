/**
 * The Ink root: one reducer, one key handler (routed by the controller), a resize listener, a
 * spinner timer only while runs are active, and the frame as memoised lines, never taller than
 * rows - 1.
 */
import React, { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { Box, useApp, useInput, useStdin, useStdout } from 'ink';
import { initialState, bodyHeight, filteredSymbols, type State } from './state.js';
import { Controller, FRAME_MS } from './controller.js';
import type { Engine } from './engine.js';
import type { Theme } from '../render/theme.js';
import { bodyLines, frameOf } from './views/screen.js';
import type { ChartData } from './views/market-view.js';
import { ScreenLine } from './screen-line.js';

export interface AppProps {
  engine: Engine;
  theme: Theme;
  /** For tests: a starting state, and a clock. */
  initial?: Partial<State>;
  now?: () => number;
  onController?: (c: Controller) => void;
}

export function App({ engine, theme, initial, now = Date.now, onController }: AppProps): React.ReactElement {
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const { exit } = useApp();
  const ctl = useMemo(
    () =>
      new Controller({
        engine,
        initial: { ...initialState({ cols: stdout.columns || 80, rows: stdout.rows || 24 }), ...initial },
        exit: () => exit(),
        now,
      }),
    // One controller for the app's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const state = useSyncExternalStore(ctl.subscribe, ctl.getState);
  const dispatch = ctl.dispatch.bind(ctl);

  useEffect(() => {
    onController?.(ctl);
    ctl.init();
    return () => ctl.dispose();
  }, [ctl, onController]);

  useEffect(() => {
    const onResize = () => dispatch({ type: 'resize', cols: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);

  const running = state.activeRuns.length > 0;
  useEffect(() => {
    if (!running) return;
    // The beat: engine events and the spinner share one frame every FRAME_MS.
    const t = setInterval(() => ctl.beat(), FRAME_MS);
    return () => clearInterval(t);
  }, [running, ctl]);

  const onInput = useCallback((input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => ctl.onKey(input, key), [ctl]);
  useInput(onInput, { isActive: isRawModeSupported === true });

  // The chart's data: the selected symbol's bars and patterns, loaded once per symbol.
  const m = state.market;
  const selCode = state.screen === 'market' ? filteredSymbols(m)[m.sel]?.code : undefined;
  const chart = useMemo((): ChartData | undefined => {
    if (!selCode || m.loading) return undefined;
    const info = m.symbols.find((x) => x.code === selCode);
    try {
      return { code: selCode, name: info?.name ?? '', bars: engine.bars(selCode), patterns: engine.patternsSync(selCode) };
    } catch {
      return undefined;
    }
  }, [selCode, engine, m.symbols, m.loading]);

  const t = now();
  const slice =
    state.screen === 'dag' ? state.dag : state.screen === 'log' ? state.log : state.screen === 'market' ? state.market : state.screen === 'runs' ? state.runs : state.screen === 'patterns' ? state.patterns : state.screen === 'picks' ? state.picks : state.screen === 'model' ? state.model : state.workflows;
  const body = useMemo(
    () => bodyLines(state, { theme, width: state.size.cols, height: bodyHeight(state), now: t }, chart),
    // Heavy strings are rebuilt only when their inputs change (the spinner only matters while running).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.screen, slice, state.size, theme, chart, state.screen === 'dag' || state.screen === 'runs' ? state.spinner : 0],
  );
  const lines = useMemo(() => frameOf(state, theme, body), [state, theme, body]);

  return (
    // Clipped vertically only: lines are width-exact, and a horizontal clip would make Ink slice
    // every line again on every frame.
    <Box flexDirection="column" height={Math.max(1, state.size.rows - 1)} overflowY="hidden">
      {lines.map((l, i) => (
        <ScreenLine key={i} text={l} width={state.size.cols} />
      ))}
    </Box>
  );
}
