/**
 * The pattern browser's catalog of the 61 TA-Lib candlestick functions: English and common Chinese
 * names, the direction TA-Lib's sign encodes, how many bars the rule reads, the values the function
 * can return, and a one-sentence description of the shape.
 *
 * direction: 'bullish' (only +), 'bearish' (only -), 'both' (the sign carries the direction),
 * 'neutral' (always +100: the shape carries no direction, e.g. a doji).
 */

export type PatternDirection = 'bullish' | 'bearish' | 'neutral' | 'both';

export interface PatternInfo {
  name: string;
  english: string;
  chinese: string;
  direction: PatternDirection;
  /** bars the rule reads, the current one included */
  bars: number;
  /** every value the function can output besides 0 */
  values: readonly number[];
  description: string;
}

type Row = [name: string, english: string, chinese: string, dir: PatternDirection, bars: number, description: string];

const ROWS: Row[] = [
  ['CDL2CROWS', 'Two Crows', '两只乌鸦', 'bearish', 3, 'A long white bar, a black bar gapping up, then a black bar opening inside it and closing inside the first body.'],
  ['CDL3BLACKCROWS', 'Three Black Crows', '三只乌鸦', 'bearish', 4, 'After a white bar, three black bars each opening inside the prior body and closing lower, near their lows.'],
  ['CDL3INSIDE', 'Three Inside Up/Down', '三内部上涨和下跌', 'both', 3, 'A harami (small body inside a long one) confirmed by a third bar closing beyond the long bar’s open.'],
  ['CDL3LINESTRIKE', 'Three-Line Strike', '三线打击', 'both', 4, 'Three bars of one colour stepping in one direction, then one opposite bar that wipes out all three.'],
  ['CDL3OUTSIDE', 'Three Outside Up/Down', '三外部上涨和下跌', 'both', 3, 'An engulfing pair followed by a bar closing further in the engulfing bar’s direction.'],
  ['CDL3STARSINSOUTH', 'Three Stars In The South', '南方三星', 'bullish', 3, 'Three shrinking black bars: a long one with a long lower shadow, a smaller one with a higher low, and a small marubozu inside it.'],
  ['CDL3WHITESOLDIERS', 'Three Advancing White Soldiers', '三个白兵', 'bullish', 3, 'Three white bars closing progressively higher, each opening within or near the prior body and closing near its high.'],
  ['CDLABANDONEDBABY', 'Abandoned Baby', '弃婴', 'both', 3, 'A long bar, a doji whose whole range gaps away from it, then a long opposite bar gapping back.'],
  ['CDLADVANCEBLOCK', 'Advance Block', '大敌当前', 'bearish', 3, 'Three rising white bars whose bodies shrink or whose upper shadows grow, a sign the advance is tiring.'],
  ['CDLBELTHOLD', 'Belt-hold', '捉腰带线', 'both', 1, 'A long body opening at its extreme: a white bar with no lower shadow or a black bar with no upper shadow.'],
  ['CDLBREAKAWAY', 'Breakaway', '脱离', 'both', 5, 'A long bar, a gap, three bars extending the move, then a reversal bar closing inside the gap.'],
  ['CDLCLOSINGMARUBOZU', 'Closing Marubozu', '收盘缺影线', 'both', 1, 'A long body closing at its extreme: a white bar with no upper shadow or a black bar with no lower shadow.'],
  ['CDLCONCEALBABYSWALL', 'Concealing Baby Swallow', '藏婴吞没', 'bullish', 4, 'Two black marubozus, a black bar gapping down with an upper shadow into the prior body, then a black bar engulfing it.'],
  ['CDLCOUNTERATTACK', 'Counterattack', '反击线', 'both', 2, 'Two long bars of opposite colour closing at the same price.'],
  ['CDLDARKCLOUDCOVER', 'Dark Cloud Cover', '乌云压顶', 'bearish', 2, 'After a long white bar, a black bar opens above its high and closes deep into its body.'],
  ['CDLDOJI', 'Doji', '十字线', 'neutral', 1, 'Open and close (almost) equal: a body of at most a tenth of the recent average range.'],
  ['CDLDOJISTAR', 'Doji Star', '十字星', 'both', 2, 'A long bar followed by a doji whose body gaps away in the long bar’s direction.'],
  ['CDLDRAGONFLYDOJI', 'Dragonfly Doji', '蜻蜓十字', 'neutral', 1, 'A doji at the top of its range: no upper shadow, a lower shadow.'],
  ['CDLENGULFING', 'Engulfing Pattern', '吞噬模式', 'both', 2, 'A body that engulfs the prior opposite-coloured body (±80 when the two bodies share one end).'],
  ['CDLEVENINGDOJISTAR', 'Evening Doji Star', '十字暮星', 'bearish', 3, 'A long white bar, a doji gapping up, then a black bar closing well into the white body.'],
  ['CDLEVENINGSTAR', 'Evening Star', '暮星', 'bearish', 3, 'A long white bar, a short body gapping up, then a black bar closing well into the white body.'],
  ['CDLGAPSIDESIDEWHITE', 'Up/Down-gap side-by-side white lines', '向上/下跳空并列阳线', 'both', 3, 'After a gap, two white bars of similar size opening at about the same price.'],
  ['CDLGRAVESTONEDOJI', 'Gravestone Doji', '墓碑十字', 'neutral', 1, 'A doji at the bottom of its range: no lower shadow, an upper shadow.'],
  ['CDLHAMMER', 'Hammer', '锤头', 'bullish', 2, 'A small body at the top of the range with a long lower shadow, sitting near the prior bar’s low.'],
  ['CDLHANGINGMAN', 'Hanging Man', '上吊线', 'bearish', 2, 'The hammer’s shape (small body, long lower shadow) sitting near the prior bar’s high.'],
  ['CDLHARAMI', 'Harami Pattern', '母子线', 'both', 2, 'A short body contained in the prior long body (±80 when they share one end).'],
  ['CDLHARAMICROSS', 'Harami Cross Pattern', '十字孕线', 'both', 2, 'A doji contained in the prior long body (±80 when they share one end).'],
  ['CDLHIGHWAVE', 'High-Wave Candle', '风高浪大线', 'both', 1, 'A short body with both shadows more than twice as long as the body.'],
  ['CDLHIKKAKE', 'Hikkake Pattern', '陷阱', 'both', 3, 'An inside bar followed by a false breakout; ±200 when a close beyond the mother bar confirms it within three bars.'],
  ['CDLHIKKAKEMOD', 'Modified Hikkake Pattern', '修正陷阱', 'both', 4, 'Hikkake after two nested inside bars, the first closing near the side the false breakout takes; ±200 on confirmation.'],
  ['CDLHOMINGPIGEON', 'Homing Pigeon', '家鸽', 'bullish', 2, 'A short black body inside the prior long black body.'],
  ['CDLIDENTICAL3CROWS', 'Identical Three Crows', '三胞胎乌鸦', 'bearish', 3, 'Three black bars closing lower, each opening at about the prior close and closing near its low.'],
  ['CDLINNECK', 'In-Neck Pattern', '颈内线', 'bearish', 2, 'After a long black bar, a white bar opening below its low closes at or just above its close.'],
  ['CDLINVERTEDHAMMER', 'Inverted Hammer', '倒锤头', 'bullish', 2, 'A small body at the bottom of the range with a long upper shadow, gapping down from the prior body.'],
  ['CDLKICKING', 'Kicking', '反冲形态', 'both', 2, 'Two marubozus of opposite colour with a gap between them; the sign follows the second.'],
  ['CDLKICKINGBYLENGTH', 'Kicking - bull/bear determined by the longer marubozu', '由较长缺影线决定的反冲形态', 'both', 2, 'Kicking, with the direction of the longer of the two marubozus.'],
  ['CDLLADDERBOTTOM', 'Ladder Bottom', '梯底', 'bullish', 5, 'Three falling black bars, a black bar with an upper shadow, then a white bar opening above its open and closing above its high.'],
  ['CDLLONGLEGGEDDOJI', 'Long Legged Doji', '长脚十字', 'neutral', 1, 'A doji with at least one long shadow.'],
  ['CDLLONGLINE', 'Long Line Candle', '长蜡烛', 'both', 1, 'A long body with short shadows.'],
  ['CDLMARUBOZU', 'Marubozu', '光头光脚/缺影线', 'both', 1, 'A long body with (almost) no shadows.'],
  ['CDLMATCHINGLOW', 'Matching Low', '相同低价', 'bullish', 2, 'Two black bars closing at the same price.'],
  ['CDLMATHOLD', 'Mat Hold', '铺垫', 'bullish', 5, 'A long white bar, three small bars holding in its upper part after a gap, then a white bar breaking out above them.'],
  ['CDLMORNINGDOJISTAR', 'Morning Doji Star', '十字晨星', 'bullish', 3, 'A long black bar, a doji gapping down, then a white bar closing well into the black body.'],
  ['CDLMORNINGSTAR', 'Morning Star', '晨星', 'bullish', 3, 'A long black bar, a short body gapping down, then a white bar closing well into the black body.'],
  ['CDLONNECK', 'On-Neck Pattern', '颈上线', 'bearish', 2, 'After a long black bar, a white bar opening below its low closes at about that low.'],
  ['CDLPIERCING', 'Piercing Pattern', '刺透形态', 'bullish', 2, 'After a long black bar, a long white bar opens below its low and closes above its midpoint.'],
  ['CDLRICKSHAWMAN', 'Rickshaw Man', '黄包车夫', 'neutral', 1, 'A long-legged doji whose body sits near the middle of the range.'],
  ['CDLRISEFALL3METHODS', 'Rising/Falling Three Methods', '上升/下降三法', 'both', 5, 'A long bar, three small counter-moving bars within its range, then a long bar closing beyond it.'],
  ['CDLSEPARATINGLINES', 'Separating Lines', '分离线', 'both', 2, 'Two opposite-coloured bars opening at the same price, the second a long belt hold.'],
  ['CDLSHOOTINGSTAR', 'Shooting Star', '射击之星', 'bearish', 2, 'A small body at the bottom of the range with a long upper shadow, gapping up from the prior body.'],
  ['CDLSHORTLINE', 'Short Line Candle', '短蜡烛', 'both', 1, 'A short body with short shadows.'],
  ['CDLSPINNINGTOP', 'Spinning Top', '纺锤', 'both', 1, 'A short body with both shadows longer than the body.'],
  ['CDLSTALLEDPATTERN', 'Stalled Pattern', '停顿形态', 'bearish', 3, 'Two long rising white bars, then a small white bar opening near the second’s close.'],
  ['CDLSTICKSANDWICH', 'Stick Sandwich', '条形三明治', 'bullish', 3, 'Black, white trading above the first close, then black closing at the first close.'],
  ['CDLTAKURI', 'Takuri (Dragonfly Doji with very long lower shadow)', '探水竿', 'neutral', 1, 'A dragonfly doji whose lower shadow is very long.'],
  ['CDLTASUKIGAP', 'Tasuki Gap', '跳空并列阴阳线', 'both', 3, 'A gap, a bar in the gap’s direction, then an opposite bar of similar size that does not close the gap.'],
  ['CDLTHRUSTING', 'Thrusting Pattern', '插入', 'bearish', 2, 'After a long black bar, a white bar opening below its low closes into its body but below the midpoint.'],
  ['CDLTRISTAR', 'Tristar Pattern', '三星', 'both', 3, 'Three dojis, the middle one gapping above (bearish) or below (bullish) the other two.'],
  ['CDLUNIQUE3RIVER', 'Unique 3 River', '奇特三河床', 'bullish', 3, 'A long black bar, a black harami-like bar with a lower low, then a short white bar above that low.'],
  ['CDLUPSIDEGAP2CROWS', 'Upside Gap Two Crows', '向上跳空的两只乌鸦', 'bearish', 3, 'A long white bar, a small black bar gapping up, then a black bar engulfing it but closing above the first close.'],
  ['CDLXSIDEGAP3METHODS', 'Upside/Downside Gap Three Methods', '上升/下降跳空三法', 'both', 3, 'Two bars gapping in one direction, then an opposite bar opening in the second body and closing in the first.'],
];

function valuesOf(name: string, dir: PatternDirection): number[] {
  if (name === 'CDLENGULFING' || name === 'CDLHARAMI' || name === 'CDLHARAMICROSS') return [-100, -80, 80, 100];
  if (name === 'CDLHIKKAKE' || name === 'CDLHIKKAKEMOD') return [-200, -100, 100, 200];
  if (dir === 'bearish') return [-100];
  if (dir === 'both') return [-100, 100];
  return [100];
}

export const PATTERN_CATALOG: Readonly<Record<string, PatternInfo>> = Object.freeze(
  Object.fromEntries(
    ROWS.map(([name, english, chinese, direction, bars, description]) => [
      name,
      Object.freeze({ name, english, chinese, direction, bars, values: Object.freeze(valuesOf(name, direction)), description }),
    ]),
  ),
);

/** What a nonzero output means for the user: the direction of this particular signal. */
export function signalDirection(name: string, value: number): 'bullish' | 'bearish' | 'neutral' {
  const info = PATTERN_CATALOG[name];
  if (info?.direction === 'neutral') return 'neutral';
  return value > 0 ? 'bullish' : 'bearish';
}
