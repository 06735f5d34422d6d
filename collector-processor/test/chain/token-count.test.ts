import { TemplateMiner } from '../../src/parse/miner';
import { createTemplateStage } from '../../src/chain/parse-stage';
import { tokenCount } from '../../src/chain/detect-stage';
import { logCorpus } from '../fixtures/log-corpus';
import { logRecordOf } from '../../src/otlp/log-record';
import { batchAnnotations, newBatch } from '../../src/chain/stage';

/** Lines whose separators, edges and lengths are where a second count could disagree with the scan's. */
const ODD = [
  '',
  ' ',
  '\t\r\n',
  'one',
  '  lead and trail  ',
  'tabs\tand\r\nnewlines\n\nmixed \t \r here',
  'vertical\u000btab splits the scan but not tokenCount',
  'form\u000cfeed too',
  'a\u000b',
  'non\u00a0breaking space and \u2003em space are token chars',
  'wild 12 34 0xdeadbeef /a/b/c http://x.y/z a@b.c 5 ms <*> collapse',
  'x '.repeat(300),
  ' y'.repeat(257),
  'z '.repeat(256),
  'emoji 😀 and lone \ud800 surrogate',
  'bin\u0000ary\u0001 \u0002\u0003\u0004\u0005',
  '\ufffd\ufffd\ufffd\ufffd',
];

describe('token count from the miner', () => {
  const lines = [...ODD, ...logCorpus(2000).map((c) => c.line)];

  it.each([
    ['default', {}, 0.4], // the corpus puts a VT in about half its lines
    ['few tokens, short lines', { maxTokens: 6, maxLineLength: 40 }, 0.05],
  ])('equals tokenCount whenever the scan knows it (%s)', (_name, config, knownShare) => {
    const m = new TemplateMiner(config);
    let known = 0;
    for (const line of lines) {
      m.add('svc', line, 0);
      if (m.lastTokens >= 0) {
        known++;
        expect({ line, n: m.lastTokens }).toEqual({ line, n: tokenCount(line) });
      }
    }
    expect(known).toBeGreaterThan(lines.length * knownShare);
  });

  it('is unknown where the scan stops early or splits differently', () => {
    const m = new TemplateMiner({ maxTokens: 6, maxLineLength: 40 });
    for (const line of ['a b c d e f g', 'a\u000bb', 'x'.repeat(41), 'bin\u0000ary\u0001 \u0002\u0003\u0004\u0005']) {
      m.add('svc', line, 0);
      expect({ line, n: m.lastTokens }).toEqual({ line, n: -1 });
    }
    m.add('svc', 'a b c d e f', 0);
    expect(m.lastTokens).toBe(6);
    const general = new TemplateMiner({}, { fastPath: false });
    general.add('svc', 'a b c', 0);
    expect(general.lastTokens).toBe(-1);
  });

  it('reaches the parse output (-1 when not counted, so the detect stage counts)', () => {
    const stage = createTemplateStage({ maxTokens: 4 });
    const records = ['GET /a took 5', '  spaced\tout  line ', 'one two three four five'];
    const batch = newBatch(
      {
        resourceLogs: [
          {
            resource: {
              attributes: [{ key: 'service.name', value: { stringValue: 'api' } }],
              droppedAttributesCount: 0,
            },
            scopeLogs: [
              {
                logRecords: records.map((m) => logRecordOf({ severityNumber: 9, body: { stringValue: m } })),
                schemaUrl: '',
              },
            ],
            schemaUrl: '',
          },
        ],
      },
      records.length,
      0,
    );
    stage.process(batch);
    expect(batchAnnotations(batch).map((p) => p.tokens)).toEqual([4, 3, -1]);
  });
});
