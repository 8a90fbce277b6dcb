/**
 * One screen line as Ink draws it. Memoised, so unchanged lines skip reconciliation, and drawn as
 * its printed pieces with the long blank runs between them left to the layout (line-spans.ts:
 * Ink re-tokenizes every grapheme of every Text on every frame). A line wider than the screen,
 * which the views never produce, is cut by our own fit; should Ink measure a piece wider than we
 * do, the pieces shrink and truncate rather than wrap.
 */
import React from 'react';
import { Box, Text } from 'ink';
import { lineSpans } from './line-spans.js';
import { fit, visibleWidth } from '../render/text.js';

export const ScreenLine = React.memo(function ScreenLine({ text, width }: { text: string; width: number }) {
  const spans = lineSpans(visibleWidth(text) > width ? fit(text, width) : text);
  return (
    <Box height={1}>
      {spans.map((p, k) => (
        <Box key={k} marginLeft={p.gap}>
          <Text wrap="truncate-end">{p.text}</Text>
        </Box>
      ))}
    </Box>
  );
});
