/**
 * A screen line cut into the pieces Ink has to draw, leaving long runs of unstyled spaces to the
 * layout (a left margin). Ink 6.8 re-tokenizes every grapheme of every Text on every frame
 * (Intl.Segmenter in string-width and ansi-tokenize, no cache across frames), and most of a
 * padded 80-column row is spaces between its columns: handing Ink only the printed pieces makes
 * a frame about a third cheaper while the terminal shows exactly the same cells.
 *
 * A run of spaces becomes a gap only where no SGR attribute is active (each piece is styled on
 * its own, so a piece never depends on codes opened in an earlier one) and only when it is at
 * least `minGap` long (or trailing: Ink trims trailing spaces anyway).
 */

export interface Span {
  /** Columns of blank before the piece (after the previous piece). */
  gap: number;
  /** The piece, with its own SGR codes. */
  text: string;
}

// SGR parameters that turn attributes on (bits) and off.
const FG = 1;
const BG = 2;
const INTENSITY = 4;
const ITALIC = 8;
const UNDERLINE = 16;
const BLINK = 32;
const INVERSE = 64;
const HIDDEN = 128;
const STRIKE = 256;
const OTHER = 512;

function applySgr(mask: number, params: string): number {
  if (params === '') return 0;
  const p = params.split(/[;:]/);
  for (let i = 0; i < p.length; i++) {
    const n = Number(p[i]);
    if (n === 0) mask = 0;
    else if (n === 1 || n === 2) mask |= INTENSITY;
    else if (n === 22) mask &= ~INTENSITY;
    else if (n === 3) mask |= ITALIC;
    else if (n === 23) mask &= ~ITALIC;
    else if (n === 4 || n === 21) mask |= UNDERLINE;
    else if (n === 24) mask &= ~UNDERLINE;
    else if (n === 5 || n === 6) mask |= BLINK;
    else if (n === 25) mask &= ~BLINK;
    else if (n === 7) mask |= INVERSE;
    else if (n === 27) mask &= ~INVERSE;
    else if (n === 8) mask |= HIDDEN;
    else if (n === 28) mask &= ~HIDDEN;
    else if (n === 9) mask |= STRIKE;
    else if (n === 29) mask &= ~STRIKE;
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) mask |= FG;
    else if (n === 39) mask &= ~FG;
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) mask |= BG;
    else if (n === 49) mask &= ~BG;
    else if (n === 38 || n === 48) {
      mask |= n === 38 ? FG : BG;
      // 38;5;N or 38;2;R;G;B
      i += p[i + 1] === '5' ? 2 : p[i + 1] === '2' ? 4 : 0;
    } else mask |= OTHER; // unknown: treated as styled until a reset
  }
  return mask;
}

// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;:]*)([ -/]*[@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;

export function lineSpans(line: string, minGap = 4): Span[] {
  const out: Span[] = [];
  let mask = 0;
  let cur = '';
  let printed = false; // whether `cur` holds anything but escape codes
  let gap = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 27) {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(line);
      if (m) {
        if (m[2] === 'm') mask = applySgr(mask, m[1]!);
        else if (m[0][1] === ']') mask |= OTHER; // a hyperlink and the like: never cut inside
        cur += m[0];
        i += m[0].length;
        continue;
      }
    }
    if (c === 32 && mask === 0) {
      let j = i + 1;
      while (j < n && line.charCodeAt(j) === 32) j++;
      if (j - i >= minGap || j === n) {
        // Codes with nothing printed between two unstyled points change nothing: dropped.
        if (printed) out.push({ gap, text: cur });
        gap = (printed ? 0 : gap) + (j - i);
        cur = '';
        printed = false;
        i = j;
        continue;
      }
      cur += line.slice(i, j);
      printed = true;
      i = j;
      continue;
    }
    cur += line[i];
    printed = true;
    i++;
  }
  if (printed) out.push({ gap, text: cur });
  return out;
}
