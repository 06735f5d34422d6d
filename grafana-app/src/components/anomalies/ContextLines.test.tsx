import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { AnomalyDetail } from '@anomalog/shared';
import { ContextLines } from './ContextLines';
import { CountDeviations } from './CountDeviations';

const line = (second: number, message: string, isAnomaly = false) => ({
  time: `2026-12-01T08:00:0${second}.000Z`,
  templateId: 't',
  message,
  isAnomaly,
});
const detail = (contextAfter?: AnomalyDetail['contextAfter']): AnomalyDetail => ({
  id: 'a1',
  time: '2026-12-01T08:00:05.000Z',
  service: 'web',
  templateId: 't9',
  template: 'disk <*> full',
  message: 'disk /var full',
  score: 0.9,
  detector: 'unseen-template',
  reason: 'unseen template',
  suppressed: false,
  attributes: {},
  context: [line(3, 'before one'), line(4, 'before two')],
  contextAfter,
  explanation: { reason: 'unseen template' },
});

test('shows the lines before, the record itself highlighted, and the lines after', () => {
  render(<ContextLines detail={detail([line(6, 'after one'), line(7, 'after two', true)])} />);
  const texts = (label: string) =>
    within(screen.getByLabelText(label))
      .getAllByText(/one|two|disk/)
      .map((e) => e.textContent);
  expect(texts('Lines before')).toEqual(['before one', 'before two']);
  expect(texts('The anomalous line')).toEqual(['disk /var full']);
  expect(screen.getByLabelText('The anomalous line').firstElementChild).toHaveAttribute('data-anomalous', 'true');
  expect(texts('Lines after')).toEqual(['after one', 'after two']);
});

test('says when the lines after are still coming, and when none came', () => {
  const { rerender } = render(<ContextLines detail={detail()} />);
  expect(screen.getByText('Lines after it are still being collected.')).toBeInTheDocument();
  rerender(<ContextLines detail={detail([])} />);
  expect(screen.getByText('No lines came after it.')).toBeInTheDocument();
});

test('a flagged window or session shows its stored lines only: no line of its own, none after', () => {
  const group = { ...detail(), detector: 'lof/window', sessionId: 'window:2026-12-01T08:00:00.000Z', context: [] };
  const { rerender } = render(<ContextLines detail={group} />);
  expect(screen.getByLabelText('Lines of the session')).toHaveTextContent('No lines are stored for a window.');
  expect(screen.queryByLabelText('The anomalous line')).toBeNull();
  expect(screen.queryByText('Lines after it are still being collected.')).toBeNull();
  rerender(
    <ContextLines
      detail={{ ...group, detector: 'isolation-forest/session', sessionId: 'blk_1', context: [line(3, 'open blk_1')] }}
    />,
  );
  expect(screen.getByLabelText('Lines of the session')).toHaveTextContent('open blk_1');
});

test('a count model lists template counts against their usual range, nothing without them', () => {
  const { container, rerender } = render(
    <CountDeviations
      explanation={{
        reason: 'unusual template counts',
        counts: [
          { templateId: 't1', template: 'slow query <*>', actual: 45, mean: 1.5, low: 0, high: 4 },
          { templateId: 't2', template: 'GET <*> 200', actual: 0, mean: 30.25, low: 22, high: 38 },
        ],
      }}
    />,
  );
  const table = screen.getByRole('table', { name: 'Template counts against their usual range' });
  const rows = within(table)
    .getAllByRole('row')
    .map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent));
  expect(rows).toEqual([
    ['Template', 'Actual', 'Typical', 'Usual range'],
    ['slow query <*>', '45 ▲', '1.5', '0–4'],
    ['GET <*> 200', '0 ▼', '30.3', '22–38'],
  ]);
  rerender(<CountDeviations explanation={{ reason: 'rare' }} />);
  expect(container).toBeEmptyDOMElement();
});
