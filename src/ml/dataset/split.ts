/**
 * Splits by date, never by row: all but the last `valid + test` dates train, the next `valid`
 * validate, the last `test` test (the original's StockProcess: 14 -> 7 + 7). A date's rows all
 * land in one split, so no row of a later date is ever in an earlier split.
 */
import { QuantflowError } from '../../core/errors.js';
import { distinctDates, selectRows, type DatasetTable } from './table.js';

export interface SplitSizes {
  valid: number;
  test: number;
}

export const DEFAULT_SPLIT: SplitSizes = { valid: 7, test: 7 };

export interface Splits {
  train: DatasetTable;
  valid: DatasetTable;
  test: DatasetTable;
  /** First and last date (yyyymmdd) of each split. */
  ranges: { train: [number, number]; valid: [number, number]; test: [number, number] };
}

export function splitByDate(t: DatasetTable, sizes: SplitSizes = DEFAULT_SPLIT): Splits {
  const dates = distinctDates(t.dates);
  if (dates.length < sizes.valid + sizes.test + 1) {
    throw new QuantflowError(
      'DATASET_TOO_SMALL',
      `the dataset has ${dates.length} signal dates; splitting needs more than ${sizes.valid + sizes.test} (valid ${sizes.valid} + test ${sizes.test})`,
    );
  }
  const testFrom = dates[dates.length - sizes.test]!;
  const validFrom = dates[dates.length - sizes.test - sizes.valid]!;
  const tr: number[] = [];
  const va: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < t.dates.length; i++) {
    const d = t.dates[i]!;
    (d >= testFrom ? te : d >= validFrom ? va : tr).push(i);
  }
  const range = (rows: number[]): [number, number] => [t.dates[rows[0]!]!, t.dates[rows[rows.length - 1]!]!];
  return {
    train: selectRows(t, tr),
    valid: selectRows(t, va),
    test: selectRows(t, te),
    ranges: { train: range(tr), valid: range(va), test: range(te) },
  };
}
