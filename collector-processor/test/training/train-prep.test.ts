/**
 * Live training prepares the tabular detectors' rows as the benchmark framework does (one shared
 * helper, features/tabular.ts): record vectors standardised with one pseudo-row, LOF fitted on damped
 * repeats, thresholds calibrated on every training row.
 */
import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { matrixDetectorFactory } from '../../src/detect/registry';
import { DEFAULT_FEATURE_CONFIG } from '../../src/evaluate/features';
import { dampRepeats } from '../../src/features/repeats';
import { fitRecordScaler, fitRows, TABULAR_DEFAULTS } from '../../src/features/tabular';
import { RecordBuffer } from '../../src/training/record-buffer';
import { ServiceModel } from '../../src/model/service-model';
import { recordMatrix, subsample, MAX_FIT_ROWS, trainServiceModel } from '../../src/training/train';

/** A window with heavy repeats (a few templates, fixed sizes) and one rare ERROR template. */
function buffer(records: number): RecordBuffer {
  const b = new RecordBuffer(records);
  for (let i = 0; i < records; i++) {
    const rare = i % 97 === 0;
    b.push({
      templateId: rare ? 'rare' : `t${i % 5}`,
      severityNumber: rare ? 17 : 9,
      tokens: rare ? 30 : 6 + (i % 5) + (i % 3),
      timeMs: i * 1000,
    });
  }
  return b;
}

function config(): ModelConfig {
  const c = validateWithDefaults(ModelConfig, { detectors: { lstm: { enabled: false } } });
  if (!c.ok) throw new Error('config');
  return c.value;
}

describe('live training uses the benchmark preparation', () => {
  it('the benchmark default feature config is the shared one', () => {
    expect(DEFAULT_FEATURE_CONFIG.pseudoRows).toBe(TABULAR_DEFAULTS.pseudoRows);
    expect(DEFAULT_FEATURE_CONFIG.dampRepeats).toEqual(TABULAR_DEFAULTS.dampRepeats);
    expect(TABULAR_DEFAULTS).toEqual({ pseudoRows: 1, dampRepeats: ['lof'] });
  });

  it('standardises with one pseudo-row, fits LOF on damped repeats, the others on every row', async () => {
    const buf = buffer(1200);
    const cfg = config();
    const seed = 7;
    const r = await trainServiceModel(buf, cfg, { seed });
    const names = r.model.members.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['lof', 'isolation-forest']));

    const records = recordMatrix(buf, buf.rows(), r.model.freq);
    const scaler = fitRecordScaler(records);
    expect(Array.from(r.model.scaler!.params.mean)).toEqual(Array.from(scaler.params.mean));
    expect(Array.from(r.model.scaler!.params.scale)).toEqual(Array.from(scaler.params.scale));
    const x = scaler.transform(records);

    // LOF's rows are the damped ones: a few dozen distinct vectors, not 1,200
    const damped = fitRows('lof', x);
    expect(damped.rows).toBeLessThan(200);
    expect(damped).toEqual(dampRepeats(x));
    expect(fitRows('isolation-forest', x)).toBe(x);

    // each member scores as the same detector fitted by hand on those rows
    const live = r.model.scoreMatrix(records);
    for (const [k, mem] of r.model.members.entries()) {
      const rows = fitRows(mem.name, x);
      const d = matrixDetectorFactory(mem.name).create(cfg.detectors[mem.name].params as Record<string, unknown>, seed);
      await d.fit(subsample(rows, MAX_FIT_ROWS[mem.name] ?? rows.rows, seed));
      expect(Array.from(live.subarray(k * records.rows, (k + 1) * records.rows))).toEqual(Array.from(d.score(x)));
    }
    // no LOF density degenerated on the repeats: training scores stay O(1), not ~1e10
    const lof = names.indexOf('lof');
    expect(Math.max(...live.subarray(lof * records.rows, (lof + 1) * records.rows))).toBeLessThan(100);
  }, 30_000);

  it('record members cut at the record rate, beyond every training record; group members at the session rate', async () => {
    const buf = buffer(1200);
    const cfg = config();
    const r = await trainServiceModel(buf, cfg, { seed: 3 });
    const records = recordMatrix(buf, buf.rows(), r.model.freq);
    const raw = r.model.scoreMatrix(records);
    expect(r.model.members.length).toBeGreaterThan(0);
    for (const [k, mem] of r.model.members.entries()) {
      expect(mem.calibration.threshold.value).toBe(cfg.detectors[mem.name].threshold.records);
      // 1e-4 is under one in 1,200: no training record (the rare ERROR ones included) alerts
      for (let i = 0; i < records.rows; i++) expect(mem.calibration.isAnomalous(raw[k * records.rows + i])).toBe(false);
    }
    const groups = r.model.groups?.members ?? [];
    expect(groups.length).toBeGreaterThan(0);
    for (const mem of groups) expect(mem.calibration.threshold.value).toBe(cfg.detectors[mem.name].threshold.value);
  }, 30_000);

  it('the scaler is stored with the model; a model saved without one still scores raw vectors', async () => {
    const buf = buffer(600);
    const r = await trainServiceModel(buf, config(), { seed: 3 });
    const records = recordMatrix(buf, buf.rows(), r.model.freq);
    const back = ServiceModel.load(r.model.serialize());
    expect(Array.from(back.scoreMatrix(records))).toEqual(Array.from(r.model.scoreMatrix(records)));
    // the training records' severities: 7 of 600 at ERROR (17), the rest INFO (9)
    expect(r.model.freq.severities?.[9]).toBe(593);
    expect(r.model.freq.severities?.[17]).toBe(7);
    expect(back.freq.severities).toEqual(r.model.freq.severities);
    expect(back.unseenScore(17)).toBe(r.model.unseenScore(17));

    const header = JSON.parse(new TextDecoder().decode(r.model.serialize())) as {
      scaler?: unknown;
      severities?: unknown;
    };
    delete header.scaler;
    delete header.severities;
    const old = ServiceModel.load(new TextEncoder().encode(JSON.stringify(header)));
    expect(old.scaler).toBeUndefined();
    // a model saved without the histogram scores a new template alike at every severity
    expect(old.freq.severities).toBeUndefined();
    expect(old.unseenScore(17)).toBe(old.unseenScore(9));
    const broken = { ...header, severities: [1, 2, 3] };
    expect(() => ServiceModel.load(new TextEncoder().encode(JSON.stringify(broken)))).toThrow(/severity histogram/);
    const x = r.model.scaler!.transform(records);
    // the members get what they are given: the old model passes the raw vectors through
    expect(Array.from(old.scoreMatrix(x))).toEqual(Array.from(r.model.scoreMatrix(records)));
  }, 30_000);
});
