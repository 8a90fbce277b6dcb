/** Dense numeric inputs: row-major float32 with NaN for missing values. */
export interface DenseMatrix {
  nrow: number;
  ncol: number;
  /** Row-major, nrow * ncol values; NaN = missing. */
  data: Float32Array;
}

/** A row-major matrix, or one Float32Array per column (all the same length). */
export type MatrixInput = DenseMatrix | Float32Array[];

export function isDense(x: MatrixInput): x is DenseMatrix {
  return !Array.isArray(x);
}

export function matrixShape(x: MatrixInput): { nrow: number; ncol: number } {
  if (isDense(x)) return { nrow: x.nrow, ncol: x.ncol };
  return { nrow: x.length ? x[0]!.length : 0, ncol: x.length };
}

/** Copies column `f` into `out`. */
export function readColumn(x: MatrixInput, f: number, out: Float32Array): Float32Array {
  if (!isDense(x)) {
    out.set(x[f]!);
    return out;
  }
  const { nrow, ncol, data } = x;
  for (let r = 0, k = f; r < nrow; r++, k += ncol) out[r] = data[k]!;
  return out;
}

/** Builds a row-major matrix from rows of numbers (tests and small inputs). */
export function denseFromRows(rows: ArrayLike<number>[], ncol?: number): DenseMatrix {
  const nc = ncol ?? (rows.length ? rows[0]!.length : 0);
  const data = new Float32Array(rows.length * nc);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < nc; c++) data[r * nc + c] = c < row.length ? row[c]! : NaN;
  }
  return { nrow: rows.length, ncol: nc, data };
}
