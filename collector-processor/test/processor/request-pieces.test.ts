import fc from 'fast-check';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import type { LogsData } from '../../src/otlp/types';
import { logRecordOf } from '../../src/otlp/log-record';
import {
  decodePiece,
  joinPiece,
  joinState,
  piecesOf,
  recordCountInTurns,
  requestLayout,
  requestLayoutInTurns,
  type RequestLayout,
} from '../../src/receive/request-pieces';
import { normalise, sampleLogsData } from './fixtures';

/** Resources of scopes of records, by their counts (a scope of 0 records, a resource of 0 scopes). */
function shaped(shape: number[][]): LogsData {
  let n = 0;
  return {
    resourceLogs: shape.map((scopes, r) => ({
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: `svc-${r}` } }],
        droppedAttributesCount: 0,
      },
      schemaUrl: `https://schema/${r}`,
      scopeLogs: scopes.map((records, s) => ({
        scope: { name: `scope-${r}-${s}`, version: '1', attributes: [], droppedAttributesCount: 0 },
        schemaUrl: '',
        logRecords: Array.from({ length: records }, () =>
          logRecordOf({ severityNumber: 9, body: { stringValue: `line ${n++} ${'x'.repeat(n % 50)}` } }),
        ),
      })),
    })),
  };
}

function decodeByPieces(layout: RequestLayout, pieceBytes: number) {
  const into = { data: { resourceLogs: [] } as LogsData, recordCount: 0 };
  const at = joinState();
  for (const piece of piecesOf(layout, pieceBytes)) joinPiece(into, piece, decodePiece(layout, piece, {}), at);
  return into;
}

describe('a large request decoded in pieces', () => {
  it('gives the same model as one decode of the whole, for any layout and piece size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(30), { maxLength: 4 }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 2000 }),
        (shape, pieceBytes) => {
          const bytes = encodeLogsRequest(shaped(shape));
          const layout = requestLayout(bytes)!;
          const whole = decodeLogsRequest(bytes);
          expect(layout.recordCount).toBe(whole.recordCount);
          const pieces = decodeByPieces(layout, pieceBytes);
          expect(pieces.recordCount).toBe(whole.recordCount);
          expect(normalise(pieces.data)).toEqual(normalise(whole.data));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps every field of the codec fixture', () => {
    const bytes = encodeLogsRequest(sampleLogsData());
    const layout = requestLayout(bytes)!;
    expect(normalise(decodeByPieces(layout, 1).data)).toEqual(normalise(decodeLogsRequest(bytes).data));
  });

  it('cuts a request of many records into several pieces', () => {
    const layout = requestLayout(encodeLogsRequest(shaped([[1000]])))!;
    expect(piecesOf(layout, 4096).length).toBeGreaterThan(5);
  });

  it('reads the layout of many records over several turns, the same as in one go', async () => {
    const bytes = encodeLogsRequest(shaped([[12_000, 3], [0], [9_000]]));
    let turns = 0;
    const layout = await requestLayoutInTurns(bytes, () => (turns++, Promise.resolve()));
    expect(turns).toBeGreaterThan(1);
    expect(layout).toEqual(requestLayout(bytes));
    expect(layout!.recordCount).toBe(21_003);
    const few = encodeLogsRequest(shaped([[30]]));
    expect(await requestLayoutInTurns(few, () => (turns++, Promise.resolve()))).toEqual(requestLayout(few));
  });

  it('counts the records without laying them out, and gives up where the layout does', async () => {
    const turn = () => Promise.resolve();
    const bytes = encodeLogsRequest(shaped([[12_000, 3], [0], [9_000]]));
    expect(await recordCountInTurns(bytes, turn)).toBe(21_003);
    expect(await recordCountInTurns(encodeLogsRequest(shaped([])), turn)).toBe(0);
    expect(await recordCountInTurns(bytes.subarray(0, bytes.length - 5), turn)).toBeUndefined();
    expect(await recordCountInTurns(Buffer.from([0x08, 0x01]), turn)).toBeUndefined();
  });

  it('leaves bytes it cannot lay out to the whole decoder', () => {
    const bytes = encodeLogsRequest(shaped([[3]]));
    expect(requestLayout(bytes.subarray(0, bytes.length - 5))).toBeUndefined();
    expect(requestLayout(Buffer.from([0x08, 0x01]))).toBeUndefined();
  });
});
