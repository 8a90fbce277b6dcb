/**
 * The numeric CSV reader's slow path (more than 15 significant digits, as Python's repr of a float32
 * widened to double writes them): negative values keep their sign.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readNumericCsv } from '../../src/ml/csv.js';
import { tempDir } from '../support/fs.js';

const tmp = tempDir('qf-csv-digits-');
afterAll(() => tmp.cleanup());

it('reads long-digit and exponent values with their sign, as Number() does', () => {
  const fields = ['-2.084909677505493', '-0.19645905494689941', '1.1618103981018066', '-1.5e-30', '-0.5', '-12345678901234567890'];
  const path = join(tmp.dir, 'x.csv');
  writeFileSync(path, fields.join(',') + '\n');
  const d = readNumericCsv(path, { hasLabel: false });
  expect(Array.from(d.x.data)).toEqual(fields.map((f) => Math.fround(Number(f))));
});
