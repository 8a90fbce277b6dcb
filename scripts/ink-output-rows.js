// Inserted by scripts/bundle-tui.mjs into the TUI bundle's copy of ink/build/output.js (Ink 6.8,
// MIT). Ink's Output.get paints every write into a fresh grid of cell objects and turns each row
// back into a string, every frame, though a frame of the TUI changes a few rows at most (a
// spinner, a duration). This get is Ink's, with one change: the writes are first gathered per row,
// and a row whose writes (position and text, in order) and width are those of a row already
// built reuses that row's string. A row's string is a function of exactly those, so the frame is
// the same; test/tui/ink-output-patch.test.ts checks it against Ink's own get on random frames.
const rowCache = new Map();
const ROW_CACHE_MAX = 500;

function rowsGet(self) {
  const writesByRow = [];
  for (let y = 0; y < self.height; y++) writesByRow.push([]);
  const clips = [];
  for (const operation of self.operations) {
    if (operation.type === 'clip') clips.push(operation.clip);
    if (operation.type === 'unclip') clips.pop();
    if (operation.type !== 'write') continue;
    const { text, transformers } = operation;
    let { x, y } = operation;
    let lines = text.split('\n');
    const clip = clips.at(-1);
    if (clip) {
      const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
      const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
      if (clipHorizontally) {
        const width = self.caches.getWidestLine(text);
        if (x + width < clip.x1 || x > clip.x2) continue;
      }
      if (clipVertically) {
        const height = lines.length;
        if (y + height < clip.y1 || y > clip.y2) continue;
      }
      if (clipHorizontally) {
        lines = lines.map((line) => {
          const from = x < clip.x1 ? clip.x1 - x : 0;
          const width = self.caches.getStringWidth(line);
          const to = x + width > clip.x2 ? clip.x2 - x : width;
          return sliceAnsi(line, from, to);
        });
        if (x < clip.x1) x = clip.x1;
      }
      if (clipVertically) {
        const from = y < clip.y1 ? clip.y1 - y : 0;
        const height = lines.length;
        const to = y + height > clip.y2 ? clip.y2 - y : height;
        lines = lines.slice(from, to);
        if (y < clip.y1) y = clip.y1;
      }
    }
    let offsetY = 0;
    for (let [index, line] of lines.entries()) {
      const row = writesByRow[y + offsetY];
      if (!row) continue;
      for (const transformer of transformers) line = transformer(line, index);
      row.push(x, line);
      offsetY++;
    }
  }

  const rows = [];
  for (const writes of writesByRow) {
    // NUL separates the key's parts; a row whose text has one is built, not cached.
    const key = writes.some((w) => typeof w === 'string' && w.includes('\u0000')) ? undefined : `${self.width}\u0000${writes.join('\u0000')}`;
    let s = key === undefined ? undefined : rowCache.get(key);
    if (s === undefined) {
      s = buildRow(self, writes);
      if (key !== undefined) {
        if (rowCache.size >= ROW_CACHE_MAX) rowCache.clear();
        rowCache.set(key, s);
      }
    }
    rows.push(s);
  }
  return { output: rows.join('\n'), height: rows.length };
}

/** One row as Ink's get builds it: blank cells, each write's characters placed in order. */
function buildRow(self, writes) {
  const currentLine = [];
  for (let x = 0; x < self.width; x++) currentLine.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
  for (let w = 0; w < writes.length; w += 2) {
    let offsetX = writes[w];
    for (const character of self.caches.getStyledChars(writes[w + 1])) {
      currentLine[offsetX] = character;
      const characterWidth = Math.max(1, self.caches.getStringWidth(character.value));
      if (characterWidth > 1) {
        for (let index = 1; index < characterWidth; index++) {
          currentLine[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
        }
      }
      offsetX += characterWidth;
    }
  }
  return styledCharsToString(currentLine.filter((item) => item !== undefined)).trimEnd();
}
