/**
 * The alternate screen: entered before the first frame, left on exit, crash, SIGTERM, SIGHUP and
 * SIGINT, exactly once. Cleared on resize (Ink's own erase undercounts after a shrink).
 */
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export interface Screen {
  restore(): void;
}

export function enterAlternateScreen(out: NodeJS.WriteStream): Screen {
  let active = true;
  out.write(ENTER);
  const onResize = () => {
    if (active) out.write('\x1b[H\x1b[2J');
  };
  out.on('resize', onResize);
  const restore = () => {
    if (!active) return;
    active = false;
    out.off('resize', onResize);
    try {
      out.write(LEAVE);
    } catch {
      // the terminal is gone
    }
  };
  process.once('exit', restore);
  return { restore };
}
