import { TemplateMiner, UNPARSED_TEMPLATE, type MinerOptions } from '../../src/parse/miner';
import { UNPARSED_TEMPLATE_ID } from '@anomalog/shared';

describe('TemplateMiner', () => {
  it('groups lines that differ in variables and keeps the id when the template generalises', () => {
    const m = new TemplateMiner();
    const a = m.add('svc', 'Receiving block blk_1 src: /10.0.0.1:50010 dest: /10.0.0.2:50010');
    const b = m.add('svc', 'Receiving block blk_2 src: /10.0.0.3:50010 dest: /10.0.0.4:50010');
    expect(a.isNew).toBe(true);
    expect(b.isNew).toBe(false);
    expect(b.templateId).toBe(a.templateId);
    expect(b.template).toBe('Receiving block <*> src: <*> dest: <*>');
    expect(b.params).toEqual(['blk_2', '/10.0.0.3:50010', '/10.0.0.4:50010']);
    const c = m.add('svc', 'Receiving block blk_3 src: /10.0.0.3:50010 target: /10.0.0.4:50010');
    expect(c.templateId).toBe(a.templateId);
    expect(c.template).toBe('Receiving block <*> src: <*> <*> <*>');
  });

  it('without params (the live stream): same ids and templates, no params on the cached path or the slow one', () => {
    const lines = ['job 7 done in 12 ms', 'job 8 done in 30 ms', 'job 9 done in 4 ms', 'job 9 failed after 4 ms'];
    const full = new TemplateMiner();
    const lean = new TemplateMiner({}, { params: false });
    for (const line of lines) {
      const a = full.add('svc', line);
      const b = lean.add('svc', line);
      expect(b).toEqual({ ...a, params: [] });
    }
    expect(full.add('svc', 'job 10 done in 5 ms').params).toEqual(['10', '5 ms']);
  });

  it('keeps services apart', () => {
    const m = new TemplateMiner();
    expect(m.add('a', 'user login ok').templateId).not.toBe(m.add('b', 'user login ok').templateId);
  });

  it('counts and records first/last seen', () => {
    const m = new TemplateMiner();
    m.add('s', 'job 1 done', 10);
    m.add('s', 'job 2 done', 20);
    const [c] = m.clusters();
    expect(c).toMatchObject({ count: 2, firstSeenMs: 10, lastSeenMs: 20 });
  });

  describe.each<[string, MinerOptions]>([
    ['fast path with the template cache', {}],
    ['fast path without the cache', { cacheSize: 0 }],
    ['general path', { fastPath: false }],
  ])('first/last seen under out-of-order records (%s)', (_name, options) => {
    it('widen to the earliest and latest record time and never move back', () => {
      const m = new TemplateMiner({}, options);
      // the same masked line again and again: after the first, the cache answers (when on)
      const times = [20, 10, 30, 15, 25, 5, 12];
      for (const [i, t] of times.entries()) m.add('s', `job ${i} done`, t);
      // lines that generalise a template: routed by matching, not by the cache
      m.add('s', 'session opened for alice today', 200);
      m.add('s', 'session opened for bob today', 100);
      m.add('s', 'session opened for carol today', 300);
      m.add('s', 'session opened for dave today', 150);
      const byText = new Map(m.clusters().map((c) => [c.tokens.join(' '), c]));
      expect(byText.get('job <*> done')).toMatchObject({ count: 7, firstSeenMs: 5, lastSeenMs: 30 });
      expect(byText.get('session opened for <*> today')).toMatchObject({ count: 4, firstSeenMs: 100, lastSeenMs: 300 });
      if (options.fastPath !== false && options.cacheSize !== 0) expect(m.cacheHits).toBeGreaterThan(0);
    });
  });

  it('evicts the least recently seen template beyond maxTemplates', () => {
    const m = new TemplateMiner({ maxTemplates: 2 });
    const a = m.add('s', 'alpha beta gamma');
    const b = m.add('s', 'delta epsilon zeta eta');
    m.add('s', 'alpha beta gamma'); // a is now more recent than b
    m.add('s', 'one two');
    expect(m.size).toBe(2);
    const ids = m.clusters().map((c) => c.id);
    expect(ids).toContain(a.templateId);
    expect(ids).not.toContain(b.templateId);
  });

  it('snapshots and restores with the same ids', () => {
    const m = new TemplateMiner();
    const a = m.add('s', 'connection from 10.0.0.1 closed');
    const m2 = new TemplateMiner();
    m2.restore(m.snapshot());
    expect(m2.add('s', 'connection from 10.0.0.9 closed').templateId).toBe(a.templateId);
    expect(() => m2.restore(new Uint8Array([0xff, 0x00]))).toThrow(/snapshot/);
    expect(m2.size).toBe(1);
  });

  it("snapshots one service and restores it into another miner without touching that miner's other services", () => {
    const m = new TemplateMiner();
    const a1 = m.add('a', 'session opened for alice today');
    m.add('a', 'session opened for bob today'); // generalises a1: a fresh miner would give 'session opened for carol today' a new id
    m.add('b', 'cache warmed in 5 ms');
    const snaps = m.snapshotServices(['a', 'none']);
    expect([...snaps.keys()]).toEqual(['a', 'none']);

    const m2 = new TemplateMiner();
    const own = m2.add('c', 'disk 1 full');
    const fresh = new TemplateMiner().add('a', 'session opened for carol today');
    expect(fresh.templateId).not.toBe(a1.templateId);
    m2.restoreService('a', snaps.get('a')!);
    expect(
      m2
        .clusters()
        .map((c) => c.service)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(m2.add('a', 'session opened for carol today')).toMatchObject({ templateId: a1.templateId, isNew: false });
    expect(m2.add('c', 'disk 2 full').templateId).toBe(own.templateId);
    // restoring again replaces the service's templates (no duplicates); an empty snapshot empties it
    m2.restoreService('a', snaps.get('a')!);
    expect(m2.size).toBe(2);
    m2.restoreService('a', snaps.get('none')!);
    expect(m2.clusters().map((c) => c.service)).toEqual(['c']);
    expect(m2.add('a', 'session opened for dave today').isNew).toBe(true);
    // a whole-miner snapshot restores one service too (the old single snapshot)
    const m3 = new TemplateMiner();
    m3.restoreService('b', m.snapshot());
    expect(m3.clusters().map((c) => c.service)).toEqual(['b']);
    expect(() => m3.restoreService('a', new Uint8Array([0xff]))).toThrow(/snapshot/);
    expect(m3.size).toBe(1);
  });

  describe('bad input', () => {
    const m = new TemplateMiner({ maxTokens: 100, maxLineLength: 10_000 });
    it('empty and blank bodies are unparsed', () => {
      expect(m.add('s', '')).toMatchObject({ templateId: UNPARSED_TEMPLATE_ID, template: UNPARSED_TEMPLATE });
      expect(m.add('s', '   \t ').templateId).toBe(UNPARSED_TEMPLATE_ID);
    });
    it('binary junk and undecodable bytes are unparsed', () => {
      const junk = String.fromCharCode(...Array.from({ length: 200 }, (_, i) => (i * 7) % 32));
      expect(m.add('s', junk).templateId).toBe(UNPARSED_TEMPLATE_ID);
      const bad = new TextDecoder().decode(new Uint8Array(Array.from({ length: 100 }, () => 0xc3 ^ 0x3c)));
      expect(m.add('s', bad).templateId).toBe(UNPARSED_TEMPLATE_ID);
    });
    it('1 MB single lines are cut to the cap', () => {
      const r = m.add('s', 'x'.repeat(1 << 20));
      expect(r.template.length).toBeLessThanOrEqual(10_000);
    });
    it('10,000-token lines keep only maxTokens tokens', () => {
      const r = m.add('s', Array.from({ length: 10_000 }, (_, i) => `w${i % 3 === 0 ? 'a' : 'b'}`).join(' '));
      expect(r.template.split(' ')).toHaveLength(100);
    });
  });
});
