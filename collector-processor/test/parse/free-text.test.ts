import { isVerbThenFreeText } from '../../src/parse/free-text';
import { TemplateMiner } from '../../src/parse/miner';

const W = '<*>';
const words = (line: string): string[] => line.split(' ');

describe('a verb and then free text ending a sentence', () => {
  it('is recognised only in its narrow form', () => {
    expect(isVerbThenFreeText(words('Started OpenBSD Secure Shell server.'), W)).toBe(true);
    expect(isVerbThenFreeText(words('Stopping A high performance web server...'), W)).toBe(true);
    expect(isVerbThenFreeText(words("Reached target user-facing Nobody's Service."), W)).toBe(true);
    // a noun first, a two-word line, no sentence end, a variable, a number or a key=value inside
    expect(isVerbThenFreeText(words('Connection to database lost.'), W)).toBe(false);
    expect(isVerbThenFreeText(words('Started server.'), W)).toBe(false);
    expect(isVerbThenFreeText(words('Started OpenBSD Secure Shell server'), W)).toBe(false);
    expect(isVerbThenFreeText(['Started', 'session', W, 'of', 'user.'], W)).toBe(false);
    expect(isVerbThenFreeText(words('Started session key=value here.'), W)).toBe(false);
    expect(isVerbThenFreeText(words('Started /usr/bin/thing now.'), W)).toBe(false);
    expect(isVerbThenFreeText(words('started lower case words.'), W)).toBe(false);
    expect(isVerbThenFreeText(words('Started ...'), W)).toBe(false);
  });

  it('gives one template to descriptions of any length, the verbs apart', () => {
    const m = new TemplateMiner();
    const a = m.add('s', 'Started OpenBSD Secure Shell server.', 0);
    const b = m.add('s', 'Started A high performance web server.', 0);
    const c = m.add('s', 'Started Regular background program processing daemon.', 0);
    const d = m.add('s', 'Stopping A high performance web server...', 0);
    expect(b.templateId).toBe(a.templateId);
    expect(c.templateId).toBe(a.templateId);
    expect(d.templateId).not.toBe(a.templateId);
    expect(c.template).toBe('Started <*>');
    expect(c.params).toEqual(['Regular background program processing daemon.']);
  });

  it('gives the same templates on the general path, and can be switched off (free-text)', () => {
    const lines = ['Started OpenBSD Secure Shell server.', 'Started A high performance web server.'];
    const fast = new TemplateMiner();
    const general = new TemplateMiner({}, { fastPath: false });
    const ids = lines.map((l) => general.add('s', l, 0).templateId);
    expect(ids[1]).toBe(ids[0]);
    expect(lines.map((l) => fast.add('s', l, 0).templateId)).toEqual(ids);
    const off = new TemplateMiner({ masks: { disable: ['free-text'], add: [] } });
    const [x, y] = lines.map((l) => off.add('s', l, 0).templateId);
    expect(y).not.toBe(x);
  });
});
