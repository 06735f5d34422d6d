import React from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';

/** The loading, error and empty states every page shows, with a message a user can act on. */
export function LoadState({
  loading,
  error,
  empty,
  emptyText,
}: {
  loading: boolean;
  error?: Error;
  empty: boolean;
  emptyText: string;
}) {
  if (loading) {
    return <LoadingPlaceholder text="Loading…" />;
  }
  if (error) {
    return (
      <Alert severity="error" title="Cannot reach the Anomalog processor">
        {error.message}
      </Alert>
    );
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
