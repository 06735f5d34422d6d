import { LiveSuppressions, suppressedReason } from '../../src/chain/suppressions';

const T = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('LiveSuppressions', () => {
  test('matches service and template, any detector or only its own, until it expires', () => {
    const live = new LiveSuppressions([
      { id: 'all', service: 'web', templateId: 't1', createdAt: iso(T) },
      { id: 'lstm', service: 'web', templateId: 't2', detector: 'lstm', createdAt: iso(T), expiresAt: iso(T + 1000) },
    ]);
    expect(live.size).toBe(2);
    expect(live.match('web', 't1', 'isolation-forest', T)?.id).toBe('all');
    expect(live.match('db', 't1', 'isolation-forest', T)).toBeUndefined();
    expect(live.match('web', 't2', 'lstm', T + 999)?.id).toBe('lstm');
    expect(live.match('web', 't2', 'lstm', T + 1000)).toBeUndefined();
    expect(live.match('web', 't2', 'lof', T)).toBeUndefined();
  });

  test('remove and replace change what is in force', () => {
    const live = new LiveSuppressions([{ id: 'a', service: 'web', templateId: 't1', createdAt: iso(T) }]);
    expect(live.remove('a')).toBe(true);
    expect(live.remove('a')).toBe(false);
    expect(live.size).toBe(0);
    expect(live.match('web', 't1', 'lof', T)).toBeUndefined();
    live.replace([{ id: 'b', service: 'db', templateId: 't9', createdAt: iso(T) }]);
    expect(live.size).toBe(1);
    expect(live.match('db', 't9', 'lof', T)?.id).toBe('b');
  });

  test('the reason names the detector, the suppression and its end', () => {
    const s = { id: 's1', service: 'web', templateId: 't1', createdAt: iso(T), expiresAt: iso(T + 60_000) };
    expect(suppressedReason(s, 'lof')).toBe(
      `suppressed: lof verdict muted by a user (suppression s1 until ${iso(T + 60_000)})`,
    );
  });
});
