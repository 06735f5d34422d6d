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

describe('a key= value every line of a template shares shows in its text', () => {
  const pam = (user: string, host: string): string =>
    `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${host} user=${user}`;

  it('renders key=<*> with the letters-only value all lines have, and <*> once one differs', () => {
    expect(renderTemplate(toks('a tty=<*> user=<*> n=<*>'), undefined, [null, 'ssh', null, null])).toBe(
      'a tty=ssh user=<*> n=<*>',
    );
    for (const fastPath of [true, false]) {
      const m = new TemplateMiner({}, { fastPath });
      const first = m.add('ssh', pam('root', '10.0.0.1'), 0);
      expect(first.template).toBe(
        'pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=root',
      );
      // the same masked line again (a template-cache hit on the fast path) with another user
      const second = m.add('ssh', pam('admin', '10.0.0.2'), 0);
      expect(second.templateId).toBe(first.templateId);
      expect(second.template).toBe(
        'pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=<*>',
      );
      expect(m.templateText(first.templateId)).toBe(second.template);
    }
  });

  it("keeps no value with digits: those are the digit rule's variables", () => {
    const m = new TemplateMiner();
    expect(m.add('s', 'session opened uid=0 mode=fast', 0).template).toBe('session opened uid=<*> mode=fast');
  });
});

describe('a name with one trailing digit that ends a run of variables shows in the text', () => {
  it('renders <*> ssh2 while every line ends the run in ssh2, <*> once one does not', () => {
    expect(renderTemplate(toks('from <*> port <*>'), undefined, [null, null, null, 'ssh2'])).toBe(
      'from <*> port <*> ssh2',
    );
    for (const fastPath of [true, false]) {
      const m = new TemplateMiner({}, { fastPath });
      const a = m.add('ssh', 'Failed password for root from 10.0.0.1 port 22 ssh2', 0);
      expect(a.template).toBe('Failed password for root from <*> port <*> ssh2');
      // the same masked line (a template-cache hit on the fast path)
      expect(m.add('ssh', 'Failed password for root from 10.0.0.2 port 2222 ssh2', 0).template).toBe(a.template);
      const b = m.add('ssh', 'Failed password for root from 10.0.0.3 port 22 ssh1', 0);
      expect(b.templateId).toBe(a.templateId);
      expect(b.template).toBe('Failed password for root from <*> port <*>');
    }
  });

  it('a name standing alone, or glued to the run without a space, is not kept', () => {
    const m = new TemplateMiner();
    expect(m.add('s', 'Invalid user test9 from host', 0).template).toBe('Invalid user <*> from host');
    expect(m.add('s', 'port 22:ssh2 done', 0).template).toBe('port <*> done');
  });

  it('kept names and optional gaps render together', () => {
    expect(renderTemplate(toks('a <*> b <*>'), [1], [null, 'ssh2', null, 'md5'])).toBe('a<*>b <*> md5');
  });
});
