import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { installFakeBackend } from '../../test-utils/fakeBackend';
import { TestConnection } from './TestConnection';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

describe('Test connection', () => {
  test('reports the processor version when the health call succeeds', async () => {
    installFakeBackend({
      'GET /health': () => ({ status: 'ok', version: '0.1.0', uptimeS: 3 }),
      'GET /services': () => [],
    });
    render(<TestConnection />);
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(
      await screen.findByText('Connected to processor 0.1.0 (ok); token accepted, no services yet.'),
    ).toBeInTheDocument();
  });

  test('a reachable processor that refuses the token is a failure (health alone needs no token)', async () => {
    installFakeBackend({
      'GET /health': () => ({ status: 'ok', version: '0.1.0', uptimeS: 3 }),
      'GET /services': () => {
        throw { status: 401 };
      },
    });
    render(<TestConnection />);
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('Connection failed')).toBeInTheDocument();
    expect(screen.getByText(/refused the API token/)).toBeInTheDocument();
  });

  test('says the processor is unreachable when the proxy answers 502', async () => {
    installFakeBackend({
      'GET /health': () => {
        throw { status: 502 };
      },
    });
    render(<TestConnection />);
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText(/processor is unreachable/)).toBeInTheDocument();
  });
});
