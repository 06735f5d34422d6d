import React, { useEffect, useState } from 'react';
import { Stack, Text } from '@grafana/ui';
import type { Incident } from '@anomalog/shared';
import { ApiError } from '../../api/client';
import { triageApi } from '../../api/triage';
import { LoadState } from '../common/States';
import { IncidentsTable } from './IncidentsTable';

const LIMIT = 200;

/**
 * The incidents active in the time range (last seen in it), for the page's service filter; a
 * processor without the incidents API (404) hands over to the records view.
 */
export function IncidentsView({
  from,
  to,
  service,
  reload,
  selectedId,
  onOpenAnomaly,
  onChanged,
  onUnavailable,
}: {
  from: number;
  to: number;
  service: string;
  reload: number;
  selectedId?: string;
  onOpenAnomaly: (id: string) => void;
  onChanged: () => void;
  onUnavailable: () => void;
}) {
  const [items, setItems] = useState<Incident[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  useEffect(() => {
    setLoading(true);
    triageApi
      .incidents({ from: String(from), to: String(to), service: service || undefined, limit: LIMIT })
      .then((page) => {
        setItems(page.items);
        setTotal(page.total);
        setError(undefined);
      })
      .catch((e: Error) => (e instanceof ApiError && e.status === 404 ? onUnavailable() : setError(e)))
      .finally(() => setLoading(false));
  }, [from, to, service, reload, onUnavailable]);
  return (
    <Stack direction="column" gap={1}>
      <LoadState
        loading={loading && items.length === 0}
        error={error}
        onRetry={onChanged}
        empty={items.length === 0}
        emptyText="No incidents in this time range: no anomalies, or all of them marked normal. Widen the range or see the records view."
      />
      {items.length > 0 && (
        <>
          <Text color="secondary">
            {`${total} incident${total === 1 ? '' : 's'} (anomalies of one service and template, or one session, close in time)` +
              (total > items.length ? `; the ${items.length} last seen are listed` : '')}
          </Text>
          <IncidentsTable
            incidents={items}
            onOpenAnomaly={onOpenAnomaly}
            onChanged={onChanged}
            selectedId={selectedId}
          />
        </>
      )}
    </Stack>
  );
}
