import { StartWindow } from '../../src/model/start-window';

it('takes sessions first seen within one inactivity period of the first record as under way', () => {
  const w = new StartWindow();
  expect(w.mayHaveBegunBefore(0)).toBe(false);
  w.see(10_000, 300);
  w.see(20_000, 300); // only the first record starts the window
  expect(w.startMs).toBe(10_000);
  expect(w.mayHaveBegunBefore(10_000)).toBe(true);
  expect(w.mayHaveBegunBefore(10_299)).toBe(true);
  expect(w.mayHaveBegunBefore(10_300)).toBe(false);
});

it('takes no session as under way without an inactivity period, or once the earlier records decided', () => {
  const endless = new StartWindow();
  endless.see(0, Infinity);
  expect(endless.mayHaveBegunBefore(0)).toBe(false);

  const known = new StartWindow();
  known.settle();
  known.see(0, 300);
  expect(known.startMs).toBe(0);
  expect(known.mayHaveBegunBefore(0)).toBe(false);
});
