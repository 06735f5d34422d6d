import type { Matrix } from '../matrix/matrix';
import { dedupeRows } from '../matrix/dedupe-rows';

/**
 * Training rows with repeats damped: each distinct row kept round(1 + ln(count)) times, in order of
 * first appearance (the log term weight of counts.ts, applied to whole rows).
 *
 * Why: log sessions repeat a lot (hdfs-deeplog's 3,884 training sessions are 62 distinct count
 * vectors). LOF breaks on repeats: a row with k or more identical copies has k-distance 0 and a
 * density of 1 / 1e-10, so LOF ratios around it jump to ~1e10 and a small, perfectly normal cluster
 * (a pattern seen 8 times when k is 20) scores far above new patterns. With 1 + ln(count) copies no
 * row reaches k = 20 copies below e^19 repeats, densities stay finite, and frequent patterns still
 * weigh more than rare ones (unlike plain de-duplication, which makes a pattern seen twice as
 * normal as one seen 5,000 times).
 */
export function dampRepeats(m: Matrix): Matrix {
  const { points, counts } = dedupeRows(m.data, m.rows, m.cols);
  let rows = 0;
  const copies = Int32Array.from(counts, (c) => {
    const k = Math.round(1 + Math.log(c));
    rows += k;
    return k;
  });
  const data = new Float64Array(rows * m.cols);
  for (let i = 0, at = 0; i < copies.length; i++) {
    const row = points.subarray(i * m.cols, (i + 1) * m.cols);
    for (let k = 0; k < copies[i]; k++, at += m.cols) data.set(row, at);
  }
  return { data, rows, cols: m.cols };
}
