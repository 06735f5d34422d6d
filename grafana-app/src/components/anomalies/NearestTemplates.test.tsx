import React from 'react';
import { render, screen } from '@testing-library/react';
import { NearestTemplates } from './NearestTemplates';

test('lists the nearest known templates with the share of words, nothing when there are none', () => {
  const { container, rerender } = render(
    <NearestTemplates
      explanation={{
        reason: 'unseen template',
        nearest: [{ templateId: 't1', template: 'connection to <*> refused', similarity: 0.6 }],
      }}
    />,
  );
  expect(screen.getByText('connection to <*> refused')).toBeInTheDocument();
  expect(screen.getByText(/60 % of words shared/)).toBeInTheDocument();
  rerender(<NearestTemplates explanation={{ reason: 'rare template' }} />);
  expect(container).toBeEmptyDOMElement();
});
