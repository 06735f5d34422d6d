import { messageOf } from '../../src/parse/extract';
import { createTemplateStage } from '../../src/chain/parse-stage';
import { batchAnnotations, newBatch, type LogBatch } from '../../src/chain/stage';
import type { LogRecord, ResourceLogs } from '../../src/otlp/types';
import { logRecordOf } from '../../src/otlp/log-record';

const FIELDS = ['message', 'msg'];

describe('message extraction shortcuts', () => {
  it.each([
    ['081109 203615 148 INFO dfs.DataNode: Receiving block', '081109 203615 148 INFO dfs.DataNode: Receiving block'],
    ['{"message":"from json","level":"info"}', 'from json'],
    ['  \t{"msg":"after spaces"}', 'after spaces'],
    // found by the regex, but JSON.parse takes no such whitespace: the text as is
    ['\u00a0\u2003{"msg":"after unicode spaces"}', '\u00a0\u2003{"msg":"after unicode spaces"}'],
    ['\ufeff{"message":"after a BOM"}', '\ufeff{"message":"after a BOM"}'],
    ['\n{"message":"after a newline"}', 'after a newline'],
    ['x{"message":"not first"}', 'x{"message":"not first"}'],
    ['~{"message":"tilde"}', '~{"message":"tilde"}'],
    ['{not json', '{not json'],
    ['', ''],
    ['   ', '   '],
    ['é{"message":"accent"}', 'é{"message":"accent"}'],
  ])('%j gives %j', (body, want) => {
    expect(messageOf({ stringValue: body }, FIELDS)).toBe(want);
  });
});

const record = (text: string): LogRecord =>
  logRecordOf({ severityNumber: 9, severityText: 'INFO', body: { stringValue: text } });

const resource = (service: string | undefined, texts: string[]): ResourceLogs => ({
  resource: {
    attributes: service === undefined ? [] : [{ key: 'service.name', value: { stringValue: service } }],
    droppedAttributesCount: 0,
  },
  scopeLogs: [
    { logRecords: texts.map(record), schemaUrl: '' },
    { logRecords: [record('second scope')], schemaUrl: '' },
  ],
  schemaUrl: '',
});

it('gives each record the service of its own resource', () => {
  const stage = createTemplateStage();
  const data = {
    resourceLogs: [
      resource('api', ['a 1', 'a 2']),
      resource(undefined, ['n 1']),
      resource('db', ['d 1']),
      resource('api', []),
    ],
  };
  const batch: LogBatch = newBatch(data, 8, 0);
  void stage.process(batch);
  expect(batchAnnotations(batch).map((f) => [f.service, f.message])).toEqual([
    ['api', 'a 1'],
    ['api', 'a 2'],
    ['api', 'second scope'],
    ['unknown_service', 'n 1'],
    ['unknown_service', 'second scope'],
    ['db', 'd 1'],
    ['db', 'second scope'],
    ['api', 'second scope'],
  ]);
});
