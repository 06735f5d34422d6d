import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMinerStateStore } from '../../src/parse/persistence';
import { compileLineFormat } from '../../src/parse/line-format';
import { messageOf } from '../../src/parse/extract';
import { TemplateMiner } from '../../src/parse/miner';

const HDFS = '<Date> <Time> <Pid> <Level> <Component>: <Content>';

describe('line format splitter', () => {
  it('splits loghub HDFS lines into header fields and Content, and mines them', () => {
    const fmt = compileLineFormat(HDFS);
    const lines = readFileSync(join(__dirname, '..', 'fixtures', 'hdfs-sample.log'), 'utf8')
      .trim()
      .split('\n');
    const first = fmt.split(lines[0]);
    expect(first).toEqual({
      Date: '081109',
      Time: '203615',
      Pid: '148',
      Level: 'INFO',
      Component: 'dfs.DataNode$PacketResponder',
      Content: 'PacketResponder 1 for block blk_38865049064139660 terminating',
    });
    const miner = new TemplateMiner();
    const ids = new Set(lines.map((l) => miner.add('hdfs', fmt.split(l)!.Content).templateId));
    expect(ids.size).toBe(3);
  });
  it('handles escaped literals like Apache and rejects lines that do not fit', () => {
    const fmt = compileLineFormat('\\[<Time>\\] \\[<Level>\\] <Content>');
    expect(fmt.split('[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok')).toEqual({
      Time: 'Sun Dec 04 04:47:44 2005',
      Level: 'notice',
      Content: 'workerEnv.init() ok',
    });
    expect(fmt.split('no brackets here')).toBeUndefined();
    expect(() => compileLineFormat('no fields')).toThrow(/no <Field>/);
  });
});

describe('message extraction', () => {
  const fields = ['message', 'msg', 'log'];
  it('reads string, kvlist and JSON-in-a-string bodies', () => {
    expect(messageOf({ stringValue: 'plain text' }, fields)).toBe('plain text');
    expect(
      messageOf(
        {
          kvlistValue: {
            values: [
              { key: 'level', value: { stringValue: 'x' } },
              { key: 'msg', value: { stringValue: 'from kv' } },
            ],
          },
        },
        fields,
      ),
    ).toBe('from kv');
    expect(messageOf({ stringValue: '{"level":"info","message":"from json"}' }, fields)).toBe('from json');
    expect(messageOf({ stringValue: '{not json' }, fields)).toBe('{not json');
    expect(messageOf({ bytesValue: new Uint8Array([1, 2]) }, fields)).toBe('');
    expect(messageOf(undefined, fields)).toBe('');
  });
});

describe('FileMinerStateStore', () => {
  it('saves and loads a miner snapshot; a missing file loads as undefined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'miner-'));
    try {
      const store = new FileMinerStateStore(join(dir, 'sub', 'miner.json'));
      expect(await store.load()).toBeUndefined();
      const m = new TemplateMiner();
      const id = m.add('s', 'user 42 logged in').templateId;
      await store.save(m.snapshot());
      const m2 = new TemplateMiner();
      m2.restore((await store.load())!);
      expect(m2.add('s', 'user 7 logged in').templateId).toBe(id);
      writeFileSync(join(dir, 'sub', 'miner.json'), 'garbage');
      const garbage = (await store.load())!;
      expect(() => m2.restore(garbage)).toThrow(/snapshot/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
