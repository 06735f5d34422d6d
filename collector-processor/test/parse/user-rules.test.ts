import { createMasker } from '../../src/parse/masking';
import { backtrackRisk } from '../../src/util/backtrack-risk';

describe('user mask rules cannot backtrack catastrophically', () => {
  test.each(['^(x+x+)+y', '(a|ab)*c', '(\\w+\\s?)*$', '((a+))+', '(a{2,})*'])(
    '%s is refused naming the rule',
    (regex) => {
      expect(backtrackRisk(regex)).toMatch(/repeated group .* exponential time/);
      expect(() => createMasker([], [{ name: 'mine', regex }])).toThrow(/mask rule "mine": a repeated group/);
    },
  );

  test.each(['blk_-?\\d+', '[0-9a-f]{8}-[0-9a-f]{4}', '(?:GET|POST)', '(ab)+', '[(]+x+', '\\(a+\\)+', 'worker|node'])(
    '%s is accepted',
    (regex) => {
      expect(backtrackRisk(regex)).toBeUndefined();
      expect(() => createMasker([], [{ name: 'ok', regex }])).not.toThrow();
    },
  );
});
