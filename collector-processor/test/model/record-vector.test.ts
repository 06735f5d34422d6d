import { rarity, writeRecordVector, RECORD_DIMS } from '../../src/model/record-vector';

const freq = {
  counts: new Map([
    ['common', 900],
    ['rare', 1],
    ['few', 9],
  ]),
  total: 910,
};

it('ranks templates by their training frequency: common < few < seen once', () => {
  expect(rarity(freq, 'common')).toBeLessThan(rarity(freq, 'few'));
  expect(rarity(freq, 'few')).toBeLessThan(rarity(freq, 'rare'));
  expect(rarity(freq, 'rare')).toBeCloseTo(-Math.log10(1.5 / 911), 12);
});

it('gives a template no training record had the rarity of one seen once, inside the training range', () => {
  // Its novelty is the unseen-template rule's call: a value past the range would let a model that
  // extrapolates flag every new template of a growing vocabulary on its own.
  expect(rarity(freq, 'never')).toBe(rarity(freq, 'rare'));
  const out = new Float64Array(2 * RECORD_DIMS);
  writeRecordVector(out, 0, freq, 'never', 9, 7);
  writeRecordVector(out, RECORD_DIMS, freq, 'rare', 9, 7);
  expect(Array.from(out.subarray(0, RECORD_DIMS))).toEqual(Array.from(out.subarray(RECORD_DIMS)));
});
