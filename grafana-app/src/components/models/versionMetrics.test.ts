import { describeMetrics } from './versionMetrics';

test('metrics read per detector, unknown keys kept', () => {
  expect(
    describeMetrics({
      'isolation-forest_fit_s': 0.0163,
      'isolation-forest_train_flagged': 0.005,
      lof_fit_s: 0.0004,
      records: 300,
    }),
  ).toEqual(['isolation-forest: fit 0.016 s, flags 0.5 % of training', 'lof: fit 0.000 s', 'records 300']);
});
