import { METRIC, ModelConfig, validateWithDefaults } from '@anomalog/shared';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createAnnotationChain } from '../../src/chain/create';
import { MemoryStore } from '../api/memory-store';
import { batchOf, logRecord, normalLines } from '../lifecycle/records';
import { batchAnnotations } from '../../src/chain/stage';

const logger = pino({ level: 'silent' });

describe('createAnnotationChain', () => {
  test('without detection: parse then attributes; records get their template attributes', async () => {
    const chain = await createAnnotationChain({}, { logger });
    expect(chain.stages.map((s) => s.name)).toEqual(['parse', 'attributes']);
    expect(chain.manager).toBeUndefined();
    const b = batchOf('web', [logRecord('user 42 logged in'), logRecord('user 43 logged in')]);
    await chain.process(b);
    expect(batchAnnotations(b).map((f) => f.templateId)).toEqual([
      batchAnnotations(b)[0].templateId,
      batchAnnotations(b)[0].templateId,
    ]);
    const keys = b.data.resourceLogs[0].scopeLogs[0].logRecords[0].attributes.map((kv) => kv.key);
    expect(keys).toEqual(expect.arrayContaining(['log.template.id', 'log.template']));
  });

  test('with detection: parse, detect, attributes over one miner; learning records pass unscored', async () => {
    const mc = validateWithDefaults(ModelConfig, {});
    if (!mc.ok) throw new Error('config');
    const registry = new Registry();
    const chain = await createAnnotationChain(
      { detection: { defaultModel: mc.value, maxServices: 2, contextLines: 3 } },
      { logger, store: new MemoryStore(), registry },
    );
    expect(chain.stages.map((s) => s.name)).toEqual(['parse', 'detect', 'attributes']);
    const b = batchOf(
      'web',
      normalLines(20).map((l) => logRecord(l)),
    );
    await chain.process(b);
    expect(batchAnnotations(b).every((f) => f.unscored === true)).toBe(true);
    expect(chain.manager?.services().map((s) => [s.service, s.templates])).toEqual([['web', chain.miner.size]]);
    const scored = await registry.getSingleMetric(METRIC.recordsScored)?.get();
    expect(scored?.values).toEqual([
      expect.objectContaining({ value: 20, labels: { service: 'web', outcome: 'unscored' } }),
    ]);
    const seen = await registry.getSingleMetric(METRIC.templatesSeen)?.get();
    expect(seen?.values[0].value).toBe(chain.miner.size);
  });

  test('detection without a store is refused', async () => {
    const mc = validateWithDefaults(ModelConfig, {});
    if (!mc.ok) throw new Error('config');
    await expect(
      createAnnotationChain({ detection: { defaultModel: mc.value, maxServices: 1, contextLines: 0 } }, { logger }),
    ).rejects.toThrow(/needs a store/);
  });
});
