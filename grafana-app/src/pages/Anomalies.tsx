import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, InteractiveTable, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import type { Anomaly, AnomalyDetail, ServiceSummary } from '@anomalog/shared';
import { api } from '../api/client';
import { LoadState } from '../components/common/States';
import { CountsChart } from '../components/charts/CountsChart';
import { AnomalyDrawer, type Action } from '../components/anomalies/AnomalyDrawer';
import { AnomalyFiltersBar } from '../components/anomalies/AnomalyFiltersBar';
import { SuppressedBadge } from '../components/anomalies/SuppressedBadge';
import { anomalyShareUrl, useUrlFilters } from '../state/anomalyFilters';
import { useUrlView } from '../state/anomalyView';
import { IncidentsView } from '../components/incidents/IncidentsView';
import { ServiceCards } from '../components/incidents/ServiceCards';
import { SuppressionsList } from '../components/incidents/SuppressionsList';
import { TriageBar } from '../components/incidents/TriageBar';
import { useAggregateCounts } from '../components/incidents/useAggregate';
import { toTimeRange } from '../state/timeRange';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';

export { exploreUrl } from '../components/anomalies/explore';

/** The API's page limit: anomalies come in pages of this many, newest first ("Load older" for more). */
const LIMIT = 1000;

type Cell = { row: { original: Anomaly } };

export function AnomaliesPage() {
  const styles = useStyles2(getStyles);
  const [filters, setFilters] = useUrlFilters();
  const [services, setServices] = useState<ServiceSummary[]>([]);
  const [items, setItems] = useState<Anomaly[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [detail, setDetail] = useState<AnomalyDetail>();
  const [reload, setReload] = useState(0);
  const [viewState, setView] = useUrlView();
  const { view } = viewState;
  const refresh = useCallback(() => setReload((n) => n + 1), []);
  const toRecords = useCallback(() => setView({ view: 'records' }), [setView]);
  // Resolve relative ranges ("now-6h") once per URL change or refresh (reload), not on every render.
  const range = useMemo(() => {
    void reload;
    return toTimeRange(filters.from, filters.to);
  }, [filters.from, filters.to, reload]);

  useEffect(() => {
    api
      .services()
      .then(setServices)
      .catch(() => setServices([]));
  }, [reload]);

  const query = useMemo(
    () => ({
      from: String(range.from.valueOf()),
      to: String(range.to.valueOf()),
      service: filters.service || undefined,
      detector: filters.detector || undefined,
      minScore: filters.minScore || undefined,
      sort: 'time' as const,
      order: 'desc' as const,
      limit: LIMIT,
    }),
    [range, filters.service, filters.detector, filters.minScore],
  );

  useEffect(() => {
    setLoading(true);
    api
      .anomalies(query)
      .then((page) => {
        setItems(page.items);
        setTotal(page.total);
        setError(undefined);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, [query]);

  // The next page of older anomalies (same query, offset past what is shown), appended.
  const [loadingMore, setLoadingMore] = useState(false);
  const loadOlder = () => {
    setLoadingMore(true);
    api
      .anomalies({ ...query, offset: items.length })
      .then((page) => {
        setItems((shown) => [...shown, ...page.items]);
        setTotal(page.total);
      })
      .catch(setError)
      .finally(() => setLoadingMore(false));
  };

  // The open drawer is the URL's `anomaly` parameter: a copied link opens it again.
  useEffect(() => {
    if (!filters.anomaly) {
      setDetail(undefined);
      return;
    }
    api.anomaly(filters.anomaly).then(setDetail).catch(setError);
  }, [filters.anomaly]);
  const open = useCallback((id: string) => setFilters({ anomaly: id }), [setFilters]);
  const counts = useAggregateCounts(range.from.valueOf(), range.to.valueOf(), filters, reload);
  const columns = useMemo(() => anomalyColumns(open), [open]);
  const learning = services.filter((s) => s.status === 'learning');

  return (
    <div className={styles.page}>
      <AnomalyFiltersBar
        filters={filters}
        range={range}
        services={services.map((s) => s.service)}
        onChange={setFilters}
      />
      {learning.length > 0 && <LearningNotice services={learning} />}
      <ServiceCards reload={reload} />
      <TriageBar
        view={view}
        onView={(v) => setView({ view: v })}
        refresh={viewState.refresh}
        onRefreshInterval={(interval) => setView({ refresh: interval })}
        onRefresh={refresh}
      />
      {view === 'incidents' && (
        <>
          {counts && <CountsChart items={[]} counts={counts} from={range.from.valueOf()} to={range.to.valueOf()} />}
          <IncidentsView
            from={range.from.valueOf()}
            to={range.to.valueOf()}
            service={filters.service}
            reload={reload}
            selectedId={viewState.incident || undefined}
            onOpenAnomaly={open}
            onChanged={refresh}
            onUnavailable={toRecords}
          />
        </>
      )}
      {view === 'suppressions' && <SuppressionsList reload={reload} onChanged={refresh} />}
      {view === 'records' && (
        <>
          <LoadState
            loading={loading}
            error={error}
            onRetry={() => setReload((n) => n + 1)}
            empty={items.length === 0}
            emptyText={emptyText(services)}
          />
          {!loading && !error && items.length > 0 && (
            <>
              <CountsChart items={items} counts={counts} from={range.from.valueOf()} to={range.to.valueOf()} />
              {total > items.length && (
                <Stack alignItems="center">
                  <Text color="secondary">{`Showing the latest ${items.length} of ${total} anomalies.`}</Text>
                  <Button size="sm" variant="secondary" onClick={loadOlder} disabled={loadingMore}>
                    {`Load ${Math.min(LIMIT, total - items.length)} older`}
                  </Button>
                </Stack>
              )}
              <InteractiveTable columns={columns} data={items} getRowId={(a: Anomaly) => a.id} pageSize={25} />
            </>
          )}
        </>
      )}
      {detail && (
        <AnomalyDrawer
          detail={detail}
          onClose={() => setFilters({ anomaly: '' })}
          shareUrl={anomalyShareUrl(window.location.href, detail)}
          onFeedback={(kind) => setItems((shown) => markSuppressed(shown, detail, kind))}
        />
      )}
    </div>
  );
}

/** What the processor suppresses on feedback: the anomaly, or every anomaly of its service's template. */
export function markSuppressed(items: Anomaly[], target: Anomaly, kind: Action): Anomaly[] {
  const hit = (a: Anomaly) =>
    kind === 'anomaly-normal' ? a.id === target.id : a.service === target.service && a.templateId === target.templateId;
  return items.map((a) => (hit(a) && !a.suppressed ? { ...a, suppressed: true } : a));
}

function anomalyColumns(open: (id: string) => void) {
  return [
    {
      id: 'time',
      header: 'Time',
      sortType: 'string' as const,
      cell: ({ row }: Cell) => dateTimeFormat(row.original.time, { format: 'YYYY-MM-DD HH:mm:ss' }),
    },
    { id: 'service', header: 'Service', sortType: 'string' as const },
    {
      id: 'template',
      header: 'Template',
      sortType: 'string' as const,
      cell: ({ row }: Cell) => (
        <>
          <Button size="sm" fill="text" onClick={() => open(row.original.id)} tooltip="Open details">
            {row.original.template}
          </Button>
          {row.original.suppressed && <SuppressedBadge />}
        </>
      ),
    },
    {
      id: 'score',
      header: 'Score',
      sortType: 'number' as const,
      cell: ({ row }: Cell) => row.original.score.toFixed(3),
    },
    { id: 'detector', header: 'Detector', sortType: 'string' as const },
    { id: 'reason', header: 'Reason' },
  ];
}

function emptyText(services: ServiceSummary[]): string {
  if (services.length === 0) {
    return 'The processor has not received logs yet. Point your OpenTelemetry Collector at it (see the docs) and come back.';
  }
  return 'No anomalies match in this time range. Widen the range, lower the min score or clear the service and detector filters.';
}

function LearningNotice({ services }: { services: ServiceSummary[] }) {
  return (
    <Alert severity="info" title="Model still learning">
      {services.map((s) => `${s.service}: ${Math.round(s.learningProgress * 100)} % of its learning window`).join('; ')}
      . These services raise no anomalies until their model has learned what normal looks like.{' '}
      <LinkButton size="sm" fill="text" href={`${PLUGIN_BASE_URL}/${ROUTES.Models}`}>
        See models
      </LinkButton>
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
