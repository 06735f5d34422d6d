import { createMasker, maskLine } from '../../src/parse/masking';
import { quotedValueEnd } from '../../src/parse/token-shapes';
import { LineScanner } from '../../src/parse/scan';
import { TemplateMiner } from '../../src/parse/miner';

/** Raw and masked tokens on both front ends (general and scanner), which must agree. */
function front(line: string, disable: string[] = []): { raw: string[]; masked: string[] } {
  const general = maskLine(line, 256, createMasker(disable))!;
  const sc = new LineScanner(256, disable);
  const n = sc.scan(line);
  const fast = {
    raw: Array.from({ length: n }, (_, i) => sc.rawToken(line, i)),
    masked: Array.from({ length: n }, (_, i) => sc.maskedToken(line, i)),
  };
  expect(fast).toEqual(general);
  // detect-stage's count still splits at every space
  expect(sc.spaceTokens).toBe(line.split(/[ \t\r\n]+/).filter(Boolean).length);
  return general;
}

describe('a key="..." value with spaces is one token', () => {
  it('keeps the token count of a value without spaces', () => {
    const spaced = front('acquire lock=1, tag="View Lock", name=android, uid=1000');
    const plain = front('acquire lock=2, tag="AudioMix", name=android, uid=1000');
    expect(spaced.raw[2]).toBe('tag="View Lock",');
    expect(spaced.masked).toEqual(plain.masked);
    expect(spaced.masked.join(' ')).toBe('acquire lock=<*> tag=<*> name=<*> uid=<*>');
  });

  it('an escaped quote does not close the value', () => {
    const r = front(
      'Error syncing pod err="failed to \\"StartContainer\\" for \\"web\\" with CrashLoopBackOff" pod="a/b"',
    );
    expect(r.masked.join(' ')).toBe('Error syncing pod err=<*> pod=<*>');
  });

  it('a quote left open, two spaces or a tab inside, or a quote not after the first = split as before', () => {
    expect(front('set msg="left open and never closed').masked).toHaveLength(6);
    expect(front('set msg="two  spaces" now').masked).toHaveLength(4);
    expect(front('set msg="a\ttab" now').masked).toHaveLength(4);
    expect(front('a=1 b "not after = sign" c').masked).toHaveLength(7);
    expect(front('opt a=b="x y" z').masked).toHaveLength(4);
    // the request line stays three tokens (its method a variable, its protocol kept: request-line)
    expect(front('"POST / HTTP/1.1" 200').masked.join(' ')).toBe('<*> HTTP/1.1" <*>');
    expect(quotedValueEnd('x="a b"', 2, 7)).toBe(6);
    expect(quotedValueEnd('x="ab" c"', 2, 9)).toBe(-1);
  });

  it('the rule can be switched off (quoted-values)', () => {
    expect(front('tag="View Lock" done', ['quoted-values']).masked).toHaveLength(3);
  });

  it('the miner gives one template to values with and without spaces', () => {
    const m = new TemplateMiner();
    const a = m.add('a', 'release:lock=1, flg=0x0, tag="View Lock", name=android, ws=null, uid=1, pid=2', 0);
    const b = m.add('a', 'release:lock=3, flg=0x0, tag="AudioMix", name=android, ws=null, uid=1, pid=2', 0);
    expect(b.templateId).toBe(a.templateId);
  });
});
