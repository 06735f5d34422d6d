import { TemplateMiner } from '../../src/parse/miner';

/** Template ids the default miner gives the lines, in order. */
function ids(...lines: string[]): string[] {
  const m = new TemplateMiner();
  return lines.map((l) => m.add('svc', l, 0).templateId);
}

describe('a variable among the first tokens (the ones Drain routes by)', () => {
  it('names in the same frame are one variable: unit names, bracketed users, quoted relations', () => {
    const units = ids(
      'nginx.service: Deactivated successfully.',
      'docker.service: Deactivated successfully.',
      'sshd.service: Deactivated successfully.',
    );
    expect(new Set(units).size).toBe(1);
    const cron = ids('(alice) CMD (run-parts /etc/cron.hourly)', '(bob) CMD (run-parts /etc/cron.hourly)');
    expect(cron[1]).toBe(cron[0]);
    const rel = ids(
      'relation "items" does not exist at character 15',
      'relation "sessions" does not exist at character 22',
    );
    expect(rel[1]).toBe(rel[0]);
  });

  it('the template text shows the head as a variable', () => {
    const m = new TemplateMiner();
    m.add('svc', 'nginx.service: Consumed 1.2s CPU time.', 0);
    expect(m.add('svc', 'cron.service: Consumed 0.4s CPU time.', 0).template).toBe('<*> Consumed <*> CPU time.');
  });

  it('a plain word right after `user` is the account name', () => {
    const users = ids(
      'user postgres logged in from 10.0.0.1',
      'user carol logged in from 10.0.0.2',
      'user www-data logged in from 10.0.0.3',
    );
    expect(new Set(users).size).toBe(1);
    // the routing word before it still tells events apart
    const other = ids('user carol logged in from 10.0.0.2', 'admin carol logged in from 10.0.0.2');
    expect(other[1]).not.toBe(other[0]);
    const m = new TemplateMiner();
    m.add('svc', 'User alice logged out', 0);
    expect(m.add('svc', 'User bob logged out', 0).template).toBe('User <*> logged out');
  });

  it('plain words, key:value flags and a masked head stay apart', () => {
    const words = ids(
      'Acquiring suspend blocker "PowerManagerService.WakeLocks".',
      'Releasing suspend blocker "PowerManagerService.WakeLocks".',
    );
    expect(words[1]).not.toBe(words[0]);
    const flags = ids('updateClipping isOverlap:true, top=1 tr=2', 'updateClipping isOverlap:false, top=1 tr=2');
    expect(flags[1]).not.toBe(flags[0]);
    const calls = ids(
      'getTasks: caller 1000 does not hold REAL_GET_TASKS; limiting output',
      'getRunningAppProcesses: caller 1000 does not hold REAL_GET_TASKS; limiting output',
    );
    expect(calls[1]).not.toBe(calls[0]);
    const masked = ids('worker.pool: task done in time', 'pool-7: task done in time');
    expect(masked[1]).not.toBe(masked[0]);
  });

  it('differences after the head still need the usual similarity, not this rule', () => {
    const r = ids('nginx.service: Deactivated successfully.', 'cron.service: Activated quickly.');
    expect(r[1]).not.toBe(r[0]);
  });
});
