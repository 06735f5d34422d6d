import { optionalGaps, renderTemplate, withGaps } from '../../src/parse/render';
import { TemplateMiner } from '../../src/parse/miner';

const toks = (s: string): string[] => s.split(' ');

describe('optional variables between constants render glued', () => {
  it('finds the inner gaps where one side holds a variable and the other none', () => {
    expect(optionalGaps(toks('<*> bytes sent, <*> done'), toks('<*> bytes <*> sent, <*> done'))).toEqual([1]);
    expect(optionalGaps(toks('<*> bytes <*> sent,'), toks('<*> bytes sent,'))).toEqual([1]);
    // a variable before the first or after the last constant glues to nothing
    expect(optionalGaps(toks('open x'), toks('<*> open x <*>'))).toEqual([]);
  });

  it('writes each optional gap as <*> glued to the constants around it', () => {
    expect(renderTemplate(toks('<*> bytes sent, <*> bytes received,'), [1, 3])).toBe(
      '<*> bytes<*>sent, <*> bytes<*>received,',
    );
    expect(renderTemplate(toks('<*> bytes <*> sent,'), [1])).toBe('<*> bytes<*>sent,');
    expect(renderTemplate(toks('a <*> b'), undefined)).toBe('a <*> b');
  });

  it('adds only new gaps, kept sorted', () => {
    expect(withGaps([3], [3])).toBeUndefined();
    expect(withGaps([3], [1, 3])).toEqual([1, 3]);
  });

  it('the miner renders a size that only some lines carry as one optional variable', () => {
    const m = new TemplateMiner();
    const a = m.add(
      'p',
      'chrome.exe - proxy.example.com:5070 close, 403 bytes sent, 426 bytes received, lifetime <1 sec',
      0,
    );
    const b = m.add(
      'p',
      'chrome.exe - proxy.example.com:5070 close, 1,260 bytes (1.23 KB) sent, 18846 bytes (18.4 KB) received, lifetime 00:01',
      0,
    );
    expect(b.templateId).toBe(a.templateId);
    expect(b.template).toBe('chrome.exe - <*> close, <*> bytes<*>sent, <*> bytes<*>received, lifetime <*>');
    expect(m.templateText(a.templateId)).toBe(b.template);
    // a repeat of the first shape (template cache) gets the new text too
    expect(
      m.add('p', 'chrome.exe - proxy.example.com:5070 close, 403 bytes sent, 426 bytes received, lifetime <1 sec', 0)
        .template,
    ).toBe(b.template);
  });
});
