import { createMasker, maskLine } from '../../src/parse/masking';
import { LineScanner } from '../../src/parse/scan';

const UNITS = ['KB', 'MB', 'GB', 'TB', 'KB)', 'MB)', 'GB)', 'TB)', 'B)', 'kB', 'ms', 'sec', 'secs', 'sec)', 'ms)'];
const NEAR = [
  'kb',
  'Kb',
  'KBs',
  'xMB',
  'Ms',
  'msec',
  'SEC',
  'B',
  'B))',
  'TB))',
  'é',
  'éMB',
  'INFO',
  'src:',
  'to',
  'of',
];

it('the scanner masks unit words (and only them) as the general path does', () => {
  const masker = createMasker([], []);
  const scanner = new LineScanner(256);
  for (const word of [...UNITS, ...NEAR]) {
    const line = `sent ${word} in 5 ${word}`;
    const want = maskLine(line, 256, masker)!;
    const n = scanner.scan(line);
    const got = Array.from({ length: n }, (_, i) => scanner.maskedToken(line, i));
    expect({ word, got }).toEqual({ word, got: want.masked });
    expect(got[1] === '<*>').toBe(UNITS.includes(word));
  }
});
