import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { RecordBuffer } from '../../src/training/record-buffer';
import { MAX_FIT_ROWS, recordMatrix, trainServiceModel } from '../../src/training/train';
import { ServiceModel } from '../../src/model/service-model';

// This suite trains autoencoders (TF.js): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

/** A service's window: a few templates with their usual sizes, all INFO. */
function buffer(records: number): RecordBuffer {
  const b = new RecordBuffer(records);
  for (let i = 0; i < records; i++)
    b.push({ templateId: `t${i % 5}`, severityNumber: 9, tokens: 6 + (i % 5) + (i % 3), timeMs: i * 1000 });
  return b;
}

describe('lifecycle training with the Autoencoder', () => {
  it('is off by default', () => {
    const c = validateWithDefaults(ModelConfig, {});
    expect(c.ok && c.value.detectors.autoencoder.enabled).toBe(false);
  });

  it('trains it when configured (sub-sampled), and the stored model reloads to the same scores', async () => {
    const c = validateWithDefaults(ModelConfig, {
      detectors: {
        'isolation-forest': { enabled: false },
        'one-class-svm': { enabled: false },
        lof: { enabled: false },
        lstm: { enabled: false },
        autoencoder: { enabled: true, params: { hidden: [8, 2], epochs: 20, patience: 3 } },
      },
    });
    if (!c.ok) throw new Error('config');
    expect(MAX_FIT_ROWS.autoencoder).toBeGreaterThan(0);
    const buf = buffer(600);
    const r = await trainServiceModel(buf, c.value, { seed: 3 });
    expect(r.model.members.map((m) => m.name)).toEqual(['autoencoder']);
    expect(r.metrics.autoencoder_fit_s).toBeGreaterThan(0);
    expect(r.metrics.autoencoder_train_flagged).toBeLessThan(0.05);
    const m = recordMatrix(buf, buf.rows(), { counts: new Map([['t0', 600]]), total: 600 });
    const back = ServiceModel.load(r.model.serialize());
    expect(Array.from(back.scoreMatrix(m))).toEqual(Array.from(r.model.scoreMatrix(m)));
  }, 20_000);
});
