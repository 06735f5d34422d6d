import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, parseLabels } from '../../src/evaluate/csv';
import { loadGeneric, loadGenericLines, loadGenericSessions, trackSessions } from '../../src/evaluate/generic';
import { mkdirSync } from 'node:fs';
import { loadGenericFiles, loadGenericFolder, HDFS_BLOCK_REGEX, HDFS_LINE_FORMAT } from '../../src/evaluate/datasets';
import { parseLog } from '../../src/evaluate/raw-logs';
import { RECORD_FEATURES } from '../../src/model/record-vector';
import { generateSyntheticHdfs } from '../fixtures/synthetic-hdfs/generate';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const synthetic = generateSyntheticHdfs();

describe('labels CSV', () => {
  test('quoted fields, header detection, label words', () => {
    expect(parseCsv('a,"b,c",d\n"x ""y""",2\r\n')).toEqual([
      ['a', 'b,c', 'd'],
      ['x "y"', '2'],
    ]);
    const m = parseLabels('BlockId,Label\nblk_1,Normal\nblk_2,Anomaly\nblk_3,1\nblk_4,0\n');
    expect([...m]).toEqual([
      ['blk_1', 0],
      ['blk_2', 1],
      ['blk_3', 1],
      ['blk_4', 0],
    ]);
    const wide = parseLabels('LineId,Label,Content\n1,-,"a, b"\n2,KERNDTLB,c\n', 'LineId', 'Label');
    expect([...wide]).toEqual([
      ['1', 0],
      ['2', 1],
    ]);
    expect(() => parseLabels('id,label\n', 'nope', 'label')).toThrow(/columns/);
  });
});

describe('raw logs through the project parser', () => {
  test('line format, miner templates, severity and time from the header', () => {
    const p = parseLog(synthetic.log, HDFS_LINE_FORMAT, 'hdfs');
    expect(p.unmatched).toBe(0);
    expect(p.lines).toHaveLength(synthetic.log.trim().split('\n').length);
    // allocate, receiving, responder, received, addStoredBlock, verified, delete, deleting, and the
    // two exception templates
    expect(p.vocabulary.size).toBe(10);
    expect(p.templates.some((t) => t.startsWith('Receiving block <*>'))).toBe(true);
    expect(p.lines.find((l) => l.message.includes('Got exception'))!.severityNumber).toBe(13);
    expect(p.lines[0].severityNumber).toBe(9);
    for (let i = 1; i < p.lines.length; i++) expect(p.lines[i].timeMs).toBeGreaterThanOrEqual(p.lines[i - 1].timeMs);
  });

  test('block sessions come from the SessionTracker, one per block id', () => {
    const p = parseLog(synthetic.log, HDFS_LINE_FORMAT, 'hdfs');
    const sessions = trackSessions(p, HDFS_BLOCK_REGEX, 300_000);
    expect(sessions).toHaveLength(synthetic.blocks);
    // normal: allocate + 3 × (receiving, responder, received, stored) = 13, maybe verified or deleted
    expect(new Set(sessions.map((s) => s.templates.length)).has(13)).toBe(true);
    expect(Math.min(...sessions.map((s) => s.templates.length))).toBe(4); // truncated after receiving
  });
});

describe('generic loader', () => {
  test('sessions: seeded half split, normal sessions of the first half train, labels joined by key', () => {
    const ds = loadGenericSessions({
      name: 'syn',
      log: synthetic.log,
      lineFormat: HDFS_LINE_FORMAT,
      sessionRegex: HDFS_BLOCK_REGEX,
      labels: synthetic.labels,
      seed: 1,
    });
    expect(ds.train.length + ds.test.length).toBeLessThanOrEqual(synthetic.blocks);
    expect(ds.test).toHaveLength(synthetic.blocks / 2);
    const anomalies = ds.testLabels.reduce((a, b) => a + b, 0);
    expect(anomalies).toBeGreaterThan(5);
    expect(ds.train.length).toBe(synthetic.blocks / 2 - (synthetic.anomalies - anomalies));
    // training templates come first: every training index is below trainVocab
    for (const s of ds.train) for (const t of s) expect(t).toBeLessThan(ds.trainVocab);
    const again = loadGenericSessions({
      name: 'syn',
      log: synthetic.log,
      lineFormat: HDFS_LINE_FORMAT,
      sessionRegex: HDFS_BLOCK_REGEX,
      labels: synthetic.labels,
      seed: 1,
    });
    expect(again.testLabels).toEqual(ds.testLabels);
  });

  test('lines: labels by line number, features learnt from the training lines only', () => {
    // every third line is an alert, so both halves of any split hold both classes
    const y = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? 1 : 0));
    const log = y.map((l, i) => (l ? 'FATAL disk gone' : `INFO ok ${i}`)).join('\n');
    const labels = 'LineId,Label\n' + y.map((l, i) => `${i + 1},${l}`).join('\n');
    const ds = loadGenericLines({ name: 'tiny', log, lineFormat: '<Level> <Content>', labels, seed: 3 });
    expect(ds.test.rows).toBe(15);
    expect(ds.train.cols).toBe(ds.featureNames.length);
    expect(ds.train.rows).toBe(15 - (10 - ds.testLabels.reduce((a, b) => a + b, 0)));
    // the live record vector: the alert template is unseen in (normal) training (as rare as a template
    // seen once: its being new is the unseen-template rule's call, flagged for it), and FATAL
    expect(ds.featureNames).toEqual(RECORD_FEATURES);
    const rarity = ds.featureNames.indexOf('template rarity');
    const severity = ds.featureNames.indexOf('severity');
    const neverSeen = -Math.log10(1.5 / (ds.train.rows + 1));
    ds.testLabels.forEach((l, r) => {
      expect(ds.testUnseen[r]).toBe(l);
      if (l) expect(ds.test.data[r * ds.test.cols + rarity]).toBeCloseTo(neverSeen, 12);
      else expect(ds.test.data[r * ds.test.cols + rarity]).toBeLessThan(neverSeen);
      expect(ds.test.data[r * ds.test.cols + severity]).toBe(l ? 21 : 9);
    });
    expect(loadGeneric({ name: 'tiny', log, labels, seed: 3 }).kind).toBe('records');
  });

  test('from files, as a user benchmarks their own labeled log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anomalog-generic-'));
    try {
      writeFileSync(join(dir, 'app.log'), synthetic.log);
      writeFileSync(join(dir, 'labels.csv'), synthetic.labels);
      const ds = loadGenericFiles({
        name: 'mine',
        logFile: join(dir, 'app.log'),
        labelsFile: join(dir, 'labels.csv'),
        lineFormat: HDFS_LINE_FORMAT,
        sessionRegex: HDFS_BLOCK_REGEX,
        seed: 5,
      });
      expect(ds.kind).toBe('sessions');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('explicit train and test ids replace the seeded split', () => {
    const ids = synthetic.labels
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const train = ids.slice(0, 300).map(([id]) => id);
    const test = ids.slice(300).map(([id]) => id);
    const ds = loadGenericSessions({
      name: 'syn',
      log: synthetic.log,
      lineFormat: HDFS_LINE_FORMAT,
      sessionRegex: HDFS_BLOCK_REGEX,
      labels: synthetic.labels,
      seed: 1,
      split: { train, test },
    });
    expect(ds.test).toHaveLength(100);
    expect(Array.from(ds.testLabels)).toEqual(ids.slice(300).map(([, l]) => (l === 'Anomaly' ? 1 : 0)));
    expect(ds.train).toHaveLength(ids.slice(0, 300).filter(([, l]) => l === 'Normal').length);
    expect(() =>
      loadGenericSessions({
        name: 'syn',
        log: synthetic.log,
        sessionRegex: HDFS_BLOCK_REGEX,
        labels: synthetic.labels,
        seed: 1,
        split: { train: [...train, 'blk_nope'], test },
      }),
    ).toThrow(/not in the log.*blk_nope/);
    // lines: ids are line numbers
    const log = Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? 'FATAL disk gone' : `INFO ok ${i}`)).join('\n');
    const lines = loadGenericLines({
      name: 'tiny',
      log,
      lineFormat: '<Level> <Content>',
      labels: '4,1\n8,1\n12,1\n11,0\n10,0\n',
      seed: 3,
      split: { train: ['1', '2', '3', '5'], test: ['8', '10', '11', '12'] },
    });
    expect(lines.train.rows).toBe(4); // unlabeled train lines count as normal
    expect(Array.from(lines.testLabels)).toEqual([1, 0, 0, 1]);
  });

  test('a folder of files: one session per file, labels per file or per group folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anomalog-folder-'));
    try {
      const normal = 'INFO start\nINFO step 1\nINFO step 2\nINFO done\n';
      const bad = 'INFO start\nERROR disk gone\nINFO done\n';
      mkdirSync(join(dir, 'ok'));
      mkdirSync(join(dir, 'mixed'));
      for (let i = 0; i < 8; i++) writeFileSync(join(dir, 'ok', `run${i}.log`), normal);
      for (let i = 0; i < 4; i++) writeFileSync(join(dir, 'mixed', `run${i}.log`), i < 2 ? bad : normal);
      writeFileSync(
        join(dir, '..', `${dir.split('/').pop()}-labels.csv`),
        'id,label\nok,0\nmixed/run0.log,1\nmixed/run1.log,1\nmixed/run2.log,0\nmixed/run3.log,0\n',
      );
      const labelsFile = join(dir, '..', `${dir.split('/').pop()}-labels.csv`);
      const trainIds = join(dir, '..', `${dir.split('/').pop()}-train.txt`);
      const testIds = join(dir, '..', `${dir.split('/').pop()}-test.txt`);
      writeFileSync(trainIds, Array.from({ length: 6 }, (_, i) => `ok/run${i}.log`).join('\n'));
      writeFileSync(testIds, 'ok/run6.log\nok/run7.log\nmixed/run0.log\nmixed/run1.log\nmixed/run2.log\n');
      const ds = loadGenericFolder({
        name: 'runs',
        dir,
        labelsFile,
        lineFormat: '<Level> <Content>',
        seed: 1,
        trainIdsFile: trainIds,
        testIdsFile: testIds,
      });
      if (ds.kind !== 'sessions') throw new Error('expected sessions');
      expect(ds.train).toHaveLength(6);
      expect(Array.from(ds.testLabels)).toEqual([0, 0, 1, 1, 0]);
      expect(ds.test.map((s) => s.length)).toEqual([4, 4, 3, 3, 4]);
      // without id lists: the seeded split over the labeled files (group labels included)
      const seeded = loadGenericFolder({ name: 'runs', dir, labelsFile, lineFormat: '<Level> <Content>', seed: 1 });
      expect(seeded.testLabels.length).toBe(6);
      for (const f of [labelsFile, trainIds, testIds]) rmSync(f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a split without both classes to score is a clear error', () => {
    const log = Array.from({ length: 20 }, (_, i) => `blk_${i} ok`).join('\n');
    const labels = Array.from({ length: 20 }, (_, i) => `blk_${i},0`).join('\n');
    expect(() => loadGenericSessions({ name: 'x', log, sessionRegex: HDFS_BLOCK_REGEX, labels, seed: 1 })).toThrow(
      /no anomalous sessions/,
    );
  });

  test('too few labeled sessions is a clear error', () => {
    expect(() =>
      loadGenericSessions({
        name: 'x',
        log: 'blk_1 a\nblk_2 b',
        sessionRegex: HDFS_BLOCK_REGEX,
        labels: 'blk_1,0\n',
        seed: 1,
      }),
    ).toThrow(/labeled sessions/);
  });
});
