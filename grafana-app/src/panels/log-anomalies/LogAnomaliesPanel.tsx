import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { Anomaly } from '@anomalog/shared';
import { api } from '../../api/client';
import { LoadState } from '../../components/common/States';
import { CountsChart } from '../../components/charts/CountsChart';
import { ScoreHeatmap } from '../../components/charts/ScoreHeatmap';
import type { Marker } from '../../components/charts/Markers';
import { useAggregateCounts } from '../../components/incidents/useAggregate';
import { AnomalyTable } from './AnomalyTable';
import { annotationMarkers, panelQuery, type Options } from './options';

/** At most this many anomalies are marked one by one; beyond, the chart alone tells the density. */
const MAX_MARKERS = 200;

function anomalyMarkers(items: Anomaly[]): Marker[] {
  return items.slice(0, MAX_MARKERS).map((a) => ({
    time: Date.parse(a.time),
    text: `${a.service} · ${a.score.toFixed(3)} · ${a.detector}: ${a.template} (${a.reason})`,
    kind: 'anomaly',
  }));
}

/** "Log anomalies": the processor's anomalies for the dashboard's range as timeline, heatmap or table. */
export function LogAnomaliesPanel({ options, timeRange, width, height, data, replaceVariables }: PanelProps<Options>) {
  const styles = useStyles2(getStyles);
  const query = useMemo(() => panelQuery(options, timeRange, replaceVariables), [options, timeRange, replaceVariables]);
  const [items, setItems] = useState<Anomaly[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [retry, setRetry] = useState(0);

  // Re-queried when the range, the options or the resolved variables change (query is memoised on them).
  const key = JSON.stringify(query);
  useEffect(() => {
    let live = true;
    setLoading(true);
    api
      .anomalies(JSON.parse(key))
      .then((page) => {
        if (live) {
          setItems(page.items);
          setTotal(page.total);
          setError(undefined);
        }
      })
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, retry]);

  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  // The timeline counts on the server over the whole range (no page limit); a min score is not aggregated.
  const aggregated = useAggregateCounts(from, to, { service: query.service, detector: query.detector }, retry);
  const counts = query.minScore ? undefined : aggregated;
  const markers = options.showAnnotations ? [...anomalyMarkers(items), ...annotationMarkers(data?.annotations)] : [];
  const empty = !loading && !error && items.length === 0;
  return (
    <div className={styles.panel} style={{ width, height }}>
      <LoadState
        loading={loading}
        error={error}
        onRetry={() => setRetry((n) => n + 1)}
        empty={empty}
        emptyText={`No anomalies${query.service ? ` of ${query.service}` : ''}${
          query.minScore ? ` with score ≥ ${query.minScore}` : ''
        } in this range. Widen the range or lower the min score; a service still learning raises none.`}
      />
      {!loading && !error && items.length > 0 && (
        <>
          {options.mode === 'table' && <AnomalyTable items={items} />}
          {options.mode === 'heatmap' && (
            <ScoreHeatmap items={items} from={from} to={to} width={width} height={height - 24} markers={markers} />
          )}
          {options.mode === 'timeline' && (
            <CountsChart
              items={items}
              counts={counts}
              from={from}
              to={to}
              markers={markers}
              // room for the legend under the chart and the "latest n of m" line
              size={{ width: Math.max(100, width - 24), height: Math.max(80, height - 64) }}
            />
          )}
          {total > items.length && (
            <Text color="secondary" variant="bodySmall">{`Latest ${items.length} of ${total} anomalies.`}</Text>
          )}
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
});
