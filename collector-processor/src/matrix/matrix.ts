/**
 * Dense row-major matrices and the column and row operations that both feature extraction and the
 * detectors use; it sits below features/ and detect/ so neither imports the other.
 */

/** Dense row-major matrix. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}
