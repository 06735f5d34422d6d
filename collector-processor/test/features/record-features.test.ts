import {
  RecordFeaturizer,
  RECORD_FEATURE_DIMS,
  RECORD_FEATURE_NAMES,
  severityFromText,
  type RecordFeatureInput,
} from '../../src/features/record-features';

const rec = (template: number, params: string[] = [], severityNumber = 9): RecordFeatureInput => ({
  template,
  params,
  severityNumber,
  length: 20,
  tokens: 4,
});

function features(f: RecordFeaturizer, r: RecordFeatureInput): Record<string, number> {
  const out = new Float64Array(RECORD_FEATURE_DIMS);
  f.write(r, out, 0);
  return Object.fromEntries(RECORD_FEATURE_NAMES.map((n, i) => [n, out[i]]));
}

describe('RecordFeaturizer', () => {
  test('rarity grows as a template gets rarer; unseen templates are flagged', () => {
    const f = new RecordFeaturizer();
    for (let i = 0; i < 99; i++) f.observe(rec(0));
    f.observe(rec(1));
    const common = features(f, rec(0));
    const rare = features(f, rec(1));
    const unseen = features(f, rec(200));
    expect(common['template rarity']).toBeLessThan(0.01);
    expect(rare['template rarity']).toBeGreaterThan(1.5);
    expect(unseen['template rarity']).toBeGreaterThan(rare['template rarity']);
    expect([common['unseen template'], rare['unseen template'], unseen['unseen template']]).toEqual([0, 0, 1]);
    expect(features(f, rec(-1))['unseen template']).toBe(1);
  });

  test('severity and sizes pass through', () => {
    const f = new RecordFeaturizer();
    const x = features(f, { template: 0, severityNumber: 17, length: 7, tokens: 3 });
    expect(x.severity).toBe(17);
    expect(x.length).toBeCloseTo(3);
    expect(x.tokens).toBeCloseTo(2);
  });

  test('numeric parameters out of their per-template, per-position range', () => {
    const z = new RecordFeaturizer({ paramRange: 'zscore', zLimit: 3, minSamples: 5 });
    const mm = new RecordFeaturizer({ paramRange: 'minmax', minSamples: 5 });
    for (let i = 0; i < 50; i++)
      for (const f of [z, mm]) f.observe(rec(0, [String(100 + (i % 10)), 'host-a', String(i % 2)]));
    expect(features(z, rec(0, ['105', 'host-b', '1']))['params out of range']).toBe(0);
    expect(features(z, rec(0, ['500', 'host-b', '1']))['params out of range']).toBe(1);
    expect(features(z, rec(0, ['500', 'x', '9']))['params out of range']).toBe(2);
    expect(features(mm, rec(0, ['110', 'x', '1']))['params out of range']).toBe(1);
    expect(features(mm, rec(0, ['109', 'x', '0']))['params out of range']).toBe(0);
    // too few observations of another template: nothing is out of range yet
    z.observe(rec(1, ['1']));
    expect(features(z, rec(1, ['1000']))['params out of range']).toBe(0);
  });

  test('templates far beyond the initial capacity', () => {
    const f = new RecordFeaturizer();
    f.observe(rec(5000, ['1']));
    expect(features(f, rec(5000))['unseen template']).toBe(0);
  });
});

test('severityFromText maps level words to OTel severity numbers', () => {
  expect(
    ['TRACE', 'debug', 'INFO', 'WARNING', 'ERROR', 'SEVERE', 'FATAL', 'whatever', undefined].map(severityFromText),
  ).toEqual([1, 5, 9, 13, 17, 17, 21, 0, 0]);
});
