import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { Calibration } from '../../src/detect/calibration';
import { IsolationForestDetector } from '../../src/detect/isolation-forest';
import { ServiceModel, type Verdict } from '../../src/model/service-model';
import {
  newTemplateChance,
  severityShare,
  UNSEEN_MIN_SEVERITY,
  unseenAlarms,
  unseenRuleScore,
  unseenTemplateScore,
  VOCABULARY_GROWING,
} from '../../src/model/unseen-rule';
import { severityCounts } from '../../src/model/record-vector';
import { RecordBuffer } from '../../src/training/record-buffer';
import { trainGroupModel } from '../../src/training/group-train';

const freq = (counts: Record<string, number>) => ({
  counts: new Map(Object.entries(counts)),
  total: Object.values(counts).reduce((a, b) => a + b, 0),
});

describe('unseen-template rule', () => {
  test('the chance of a new template is the share of single-record templates, at least one in total + 1', () => {
    expect(newTemplateChance(freq({ a: 500, b: 499 }))).toBeCloseTo(1 / 1000, 12);
    expect(newTemplateChance(freq({ a: 996, b: 1, c: 1, d: 1 }))).toBeCloseTo(3 / 1000, 12);
    expect(
      newTemplateChance(
        freq({
          a: 80,
          b: 1,
          c: 1,
          d: 1,
          e: 1,
          f: 1,
          g: 1,
          h: 1,
          i: 1,
          j: 1,
          k: 1,
          l: 1,
          m: 1,
          n: 1,
          o: 1,
          p: 1,
          q: 1,
          r: 1,
          s: 1,
          t: 1,
          u: 1,
        }),
      ),
    ).toBeCloseTo(20 / 101, 12);
  });

  test('a settled vocabulary alarms on every new template, a growing one only at WARN or above', () => {
    const settled = VOCABULARY_GROWING / 2;
    const growing = VOCABULARY_GROWING * 4;
    for (const severity of [0, 9, 13, 21]) expect(unseenAlarms(settled, severity)).toBe(true);
    expect(unseenAlarms(growing, 0)).toBe(false);
    expect(unseenAlarms(growing, 9)).toBe(false);
    expect(unseenAlarms(growing, UNSEEN_MIN_SEVERITY)).toBe(true);
    expect(unseenAlarms(growing, 21)).toBe(true);
  });

  test('the service model applies it: in a growing vocabulary an INFO new template is not flagged, whatever the members say', () => {
    // 60 templates seen once in 300 records: new ones come every few records
    const counts: Record<string, number> = { common: 240 };
    for (let i = 0; i < 60; i++) counts[`once${i}`] = 1;
    const f = freq(counts);
    const rows = 300;
    const data = new Float64Array(rows * 3).map((_, i) => (i % 3 === 1 ? 9 : (i * 7919) % 13) / 13);
    const m = { data, rows, cols: 3 };
    const forest = new IsolationForestDetector({ trees: 50 });
    forest.fit(m);
    const calibration = Calibration.fit(forest.score(m), { mode: 'fpr', value: 1e-4 });
    const model = new ServiceModel(f, [{ name: 'isolation-forest', detector: forest, calibration }]);
    // a vector far outside the training rows: the forest flags it
    const far = { data: Float64Array.from([50, 9, 50]), rows: 1, cols: 3 };
    const raw = model.scoreMatrix(far);
    const v: Verdict = { score: 0, isAnomaly: false, detector: '', reason: '', member: -1 };
    model.decide(raw, 1, 0, 'common', 9, v);
    expect(v).toMatchObject({ isAnomaly: true, detector: 'isolation-forest' });
    const membersScore = v.score;
    model.decide(raw, 1, 0, 'brand-new', 9, v);
    expect(v).toMatchObject({ isAnomaly: false, detector: 'isolation-forest' });
    expect(v.score).toBeLessThan(0.5);
    expect(v.score).toBeGreaterThan(0.49);
    model.decide(raw, 1, 0, 'brand-new', 17, v);
    expect(v).toMatchObject({ isAnomaly: true, detector: 'unseen-template' });
    expect(v.score).toBeGreaterThanOrEqual(Math.max(0.5, membersScore));
  });

  test('a new template at a severity the window rarely logged scores higher: FATAL over ERROR over INFO', () => {
    const severities = severityCounts(1000, (i) => (i % 100 === 0 ? 17 : 9));
    const f = { ...freq({ a: 500, b: 500 }), severities };
    expect(severityShare(f, 0)).toBe(1);
    expect(severityShare(f, 9)).toBe(1);
    expect(severityShare(f, 17)).toBeCloseTo(10.5 / 1000.5, 12);
    expect(severityShare(f, 21)).toBeCloseTo(0.5 / 1000.5, 12);
    const chance = newTemplateChance(f);
    // a settled window (its chance under the tail) and a growing one (over it: the rule's floor)
    for (const tail of [0.005, 1e-4]) {
      const [info, error, fatal] = [9, 17, 21].map((s) => unseenRuleScore(f, chance, s, tail));
      expect(info).toBeGreaterThanOrEqual(0.5);
      expect(error).toBeGreaterThan(info);
      expect(fatal).toBeGreaterThan(error);
    }
    // a window where new templates and ERROR lines are both common: ERROR still ranks over INFO
    const busy = { ...f, severities: severityCounts(1000, (i) => (i % 3 === 0 ? 17 : 9)) };
    expect(unseenRuleScore(busy, 0.05, 17, 1e-4)).toBeGreaterThan(unseenRuleScore(busy, 0.05, 9, 1e-4));
    const info = unseenRuleScore(f, chance, 9, 0.005);
    // without a histogram (a model saved before it was kept) every severity scores alike
    const plain = freq({ a: 500, b: 500 });
    expect(unseenRuleScore(plain, chance, 21, 0.005)).toBe(unseenRuleScore(plain, chance, 9, 0.005));
    expect(unseenRuleScore(plain, chance, 9, 0.005)).toBeCloseTo(info, 12);
  });

  test('the score of a new template: the higher of rule and members when the rule alarms, else held under 0.5', () => {
    expect(unseenTemplateScore(true, 0.2, 0.7)).toBe(0.7);
    expect(unseenTemplateScore(true, 0.9, 0.7)).toBe(0.9);
    expect(unseenTemplateScore(false, 0.2, 0.7)).toBe(0.2);
    const held = unseenTemplateScore(false, 0.99, 0.7);
    expect(held).toBeLessThan(0.5);
    expect(held).toBeGreaterThan(0.49);
  });

  test('window count vectors keep an unseen column only where the vocabulary had settled', async () => {
    const c = validateWithDefaults(ModelConfig, {
      sessionKey: { kind: 'window', windowSeconds: 10 },
      detectors: { lstm: { enabled: false }, 'one-class-svm': { enabled: false }, lof: { enabled: false } },
    });
    if (!c.ok) throw new Error('config');
    const window = async (growing: boolean) => {
      const b = new RecordBuffer(2000);
      // a template once every 4 records (growing) or 5 templates over and over (settled)
      for (let i = 0; i < 2000; i++)
        b.push({
          templateId: growing && i % 4 === 0 ? `once${i}` : `t${i % 5}`,
          severityNumber: 9,
          tokens: 6,
          timeMs: i * 1000,
        });
      const trained = await trainGroupModel(b, c.value, 1, 1000);
      return trained!.model.counts.options.unseenColumn;
    };
    expect(await window(false)).toBe(true);
    expect(await window(true)).toBe(false);
  });
});
