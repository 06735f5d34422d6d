import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { TemplateInfo } from '@anomalog/shared';
import { installFakeBackend } from '../test-utils/fakeBackend';
import { TemplatesPage, templateFlags } from './Templates';

const now = Date.parse('2026-12-01T12:00:00Z');
const template = (id: string, count: number, firstSeen: string, suppressed = false): TemplateInfo => ({
  service: 'storage',
  templateId: id,
  template: `template ${id} <*>`,
  count,
  firstSeen,
  lastSeen: '2026-12-01T11:59:00Z',
  suppressed,
});

describe('Templates page', () => {
  test('lists the first service templates with badges and formatted times', async () => {
    const fresh = new Date(Date.now() - 3600_000).toISOString();
    installFakeBackend({
      'GET /services': () => [
        { service: 'storage', status: 'scoring', recordsSeen: 10, templates: 3, anomalies: 0, learningProgress: 1 },
      ],
      'GET /services/storage/templates': () => [
        template('a', 100000, '2026-01-01T00:00:00Z'),
        template('b', 3, fresh, true),
      ],
    });
    render(<TemplatesPage />);
    const rare = (await screen.findByText('template b <*>')).closest('tr')!;
    expect(within(rare).getByText('new')).toBeInTheDocument();
    expect(within(rare).getByText('rare')).toBeInTheDocument();
    expect(within(rare).getByText('marked normal')).toBeInTheDocument();
    const old = screen.getByText('template a <*>').closest('tr')!;
    expect(within(old).queryByText('new')).toBeNull();
    expect(within(old).getByText('2026-01-01 00:00:00')).toBeInTheDocument();
  });

  test('says what to do before any logs arrived', async () => {
    installFakeBackend({ 'GET /services': () => [] });
    render(<TemplatesPage />);
    expect(await screen.findByText('No data yet')).toBeInTheDocument();
  });
});

test('templateFlags: new within a day, rare under 0.1 % of the service records', () => {
  expect(templateFlags(template('x', 1, '2026-12-01T00:00:00Z'), 2000, now)).toEqual({ isNew: true, isRare: true });
  expect(templateFlags(template('x', 10, '2026-11-01T00:00:00Z'), 2000, now)).toEqual({ isNew: false, isRare: false });
});
