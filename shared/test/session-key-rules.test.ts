import { sessionKeyProblem, sessionKeyProblems } from '../src';

describe('sessionKeyProblems', () => {
  test('a regex the processor runs is accepted, with or without a capture group', () => {
    expect(sessionKeyProblems({ kind: 'regex', regex: 'blk_-?\\d+' })).toEqual({});
    expect(sessionKeyProblems({ kind: 'regex', regex: 'instance: ([0-9a-f-]{36})' })).toEqual({});
  });

  test.each([
    ['lookahead', 'req-(?=\\d)\\w+'],
    ['lookbehind', '(?<=id=)\\w+'],
    ['backreference', '(\\w)\\1'],
  ])('a %s, valid for JavaScript but not for RE2, is refused as the processor would', (_name, regex) => {
    expect(() => new RegExp(regex)).not.toThrow();
    expect(sessionKeyProblems({ kind: 'regex', regex })['/sessionKey/regex']).toMatch(
      /Not a valid regular expression for the linear-time \(RE2\) engine.*lookaround/,
    );
  });

  test('the one-line form names the field', () => {
    expect(sessionKeyProblem({ kind: 'regex', regex: 'blk_(' })).toMatch(/^sessionKey\.regex: Not a valid/);
    expect(sessionKeyProblem({ kind: 'attribute', attribute: ' ' })).toMatch(/^sessionKey\.attribute: Name/);
    expect(sessionKeyProblem({ kind: 'window' })).toBeUndefined();
  });
});
