import { replayLive } from '../../../bench/lib/live-replay';
import { HDFS_BLOCK_REGEX, HDFS_LINE_FORMAT } from '../../src/evaluate/datasets';

/**
 * Block lifecycles one after the other (HDFS line format, a second apart); from block 600 on, every
 * tenth block logs a WARN template no earlier block had. The first 500 blocks are what the service
 * learns on.
 */
function labelledLog(): { lines: string[]; labels: Map<string, 0 | 1>; learn: number } {
  const lines: string[] = [];
  const labels = new Map<string, 0 | 1>();
  let learn = 0;
  let t = 0;
  const at = () => {
    const s = t++;
    const hh = String(Math.floor(s / 3600) % 24).padStart(2, '0');
    const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return `081109 ${hh}${mm}${ss}`;
  };
  for (let b = 0; b < 1000; b++) {
    const blk = `blk_${1000 + b}`;
    const anomalous = b >= 600 && b % 10 === 0;
    lines.push(`${at()} 143 INFO dfs.DataNode$DataXceiver: Receiving block ${blk} src: /10.0.0.${b % 200}:50010`);
    lines.push(`${at()} 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /data/f${b}. ${blk}`);
    if (anomalous) lines.push(`${at()} 36 WARN dfs.DataNode: Checksum mismatch for ${blk} at offset ${b * 512}`);
    lines.push(`${at()} 144 INFO dfs.DataNode$PacketResponder: Received block ${blk} of size ${67108864 - b}`);
    labels.set(blk, anomalous ? 1 : 0);
    if (b === 499) learn = lines.length;
  }
  return { lines, labels, learn };
}

describe('bench:detect --live: a labelled raw log through the live chain', () => {
  test('learns on the first part, then reports the scored part per line and per session', async () => {
    const { lines, labels, learn } = labelledLog();
    const rows = await replayLive(
      {
        dataset: 'blocks',
        lines,
        lineFormat: HDFS_LINE_FORMAT,
        sessionRegex: HDFS_BLOCK_REGEX,
        labels,
        learnRecords: learn,
      },
      'isolation-forest',
    );
    expect(rows.map((r) => r.unit)).toEqual(['line', 'session']);
    const [line, session] = rows;
    expect(line).toMatchObject({ dataset: 'blocks', detector: 'isolation-forest', path: 'live', mode: 'live' });
    // every line after the learning part is scored; a session's label is its lines' label
    expect(line.test_rows).toBe(lines.length - learn);
    expect(line.anomalies).toBe(40 * 4);
    // the new WARN template is flagged (one line of the four of each anomalous block), nothing normal is
    expect(line).toMatchObject({ flagged: 40, precision: 1, recall: 0.25, fpr: 0 });
    // sessions that started after the model: the 500 later blocks, 40 of them anomalous, all found
    expect(session).toMatchObject({ test_rows: 500, anomalies: 40, precision: 1, recall: 1, fpr: 0 });
    expect(session.score_roc_auc).toBe(1);
    // best F1 over every anomaly.score threshold, beside the default's: the line flags' 0.4 is one of
    // those thresholds, and the sessions' default already finds every anomaly
    expect(line.best_f1).toBeGreaterThanOrEqual(line.f1_default as number);
    expect(session.best_f1).toBe(1);
  });
});
