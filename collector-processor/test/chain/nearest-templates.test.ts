import { NearestTemplates } from '../../src/chain/nearest-templates';

const TEXT: Record<string, string> = {
  a: 'connection to <*> refused after <*> retries',
  b: 'connection to <*> established',
  c: 'user <*> logged in',
};
const textOf = (id: string) => TEXT[id];

describe('NearestTemplates', () => {
  test('ranks the known templates by shared words, nearest first, leaving out those sharing none', () => {
    const known = new Map([
      ['a', 10],
      ['b', 50],
      ['c', 99],
    ]);
    const near = new NearestTemplates().of(known, 'new', 'connection to <*> refused by peer', textOf);
    expect(near.map((n) => n.templateId)).toEqual(['a', 'b']);
    expect(near[0]).toEqual({ templateId: 'a', template: TEXT.a, similarity: 3 / 7 });
    expect(near[1].similarity).toBeCloseTo(2 / 6);
  });

  test('answers a template again from its cache, per model', () => {
    const known = new Map([['a', 1]]);
    const nearest = new NearestTemplates();
    let lookups = 0;
    const counting = (id: string) => (lookups++, textOf(id));
    const first = nearest.of(known, 'new', 'connection refused', counting);
    expect(nearest.of(known, 'new', 'connection refused', counting)).toBe(first);
    expect(lookups).toBe(1);
    nearest.of(new Map(known), 'new', 'connection refused', counting); // another model: searched anew
    expect(lookups).toBe(2);
  });
});
