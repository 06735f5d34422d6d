import React from 'react';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { ApiError } from '../../api/client';
import { PLUGIN_ID } from '../../constants';

const CONFIG_URL = `/plugins/${PLUGIN_ID}`;

/** A title naming what went wrong, from the HTTP status the proxy answered. */
export function failureTitle(error: Error): string {
  const status = error instanceof ApiError ? error.status : -1;
  if (status === 401) {
    return 'Unauthorised: the processor refused the API token';
  }
  if (status === 403) {
    return 'Not allowed for your Grafana role';
  }
  if (status === 0 || status === 502 || status === 503 || status === 504) {
    return 'Processor unreachable';
  }
  if (status === 404) {
    return 'Not found';
  }
  return 'The processor reported an error';
}

/** Whether fixing the app's configuration (URL, token) is the likely remedy. */
function isConfigProblem(error: Error): boolean {
  return error instanceof ApiError && [0, 401, 404, 502, 503, 504].includes(error.status);
}

export function ErrorState({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <Alert severity="error" title={failureTitle(error)}>
      <p>{error.message}</p>
      <Stack>
        {isConfigProblem(error) && (
          <LinkButton size="sm" variant="secondary" icon="cog" href={CONFIG_URL}>
            Open app configuration
          </LinkButton>
        )}
        {onRetry && (
          <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
            Retry
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** The loading, error and empty states every page shows, with a message a user can act on. */
export function LoadState({
  loading,
  error,
  empty,
  emptyText,
  onRetry,
}: {
  loading: boolean;
  error?: Error;
  empty: boolean;
  emptyText: React.ReactNode;
  onRetry?: () => void;
}) {
  if (loading) {
    return <LoadingPlaceholder text="Loading…" />;
  }
  if (error) {
    return <ErrorState error={error} onRetry={onRetry} />;
  }
  if (empty) {
    return (
      <Alert severity="info" title="No data yet">
        {emptyText}
      </Alert>
    );
  }
  return null;
}
