import { createPipeline } from '../../src/chain/pipeline';
import { createNullExporter } from '../../src/export/exporter';
import type { AnnotationStage } from '../../src/chain/stage';
import type { LogsData } from '../../src/otlp/types';
import { createTurns } from '../../src/chain/turns';
import { silentLogger } from '../processor/helpers';

const data: LogsData = { resourceLogs: [] };

describe('event-loop turns between requests', () => {
  test('turns resolve in call order, each in a later turn of the loop', async () => {
    const turn = createTurns();
    const log: string[] = [];
    const turns = [1, 2, 3].map((n) =>
      turn().then(() => {
        log.push(`turn ${n}`);
        setImmediate(() => log.push(`io after ${n}`));
      }),
    );
    await Promise.all(turns);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['turn 1', 'io after 1', 'turn 2', 'io after 2', 'turn 3', 'io after 3']);
  });

  test("the loop polls between two requests' annotation chains, which start in arrival order", async () => {
    const log: string[] = [];
    const stage: AnnotationStage = {
      name: 'probe',
      process(batch) {
        log.push(`chain ${batch.recordCount}`);
        // stands for I/O that becomes ready while the chain runs (an export leaving, an API request)
        setImmediate(() => log.push(`io after ${batch.recordCount}`));
      },
    };
    const pipeline = createPipeline({ stages: [stage], exporter: createNullExporter(), logger: silentLogger });
    await Promise.all([1, 2, 3].map((n) => pipeline.run({ recordCount: n, data }, undefined, Date.now())));
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['chain 1', 'io after 1', 'chain 2', 'io after 2', 'chain 3', 'io after 3']);
  });
});
