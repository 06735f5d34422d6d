import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Text, useStyles2 } from '@grafana/ui';
import type { AggregateAnswer } from '@anomalog/shared';
import { triageApi } from '../../api/triage';

const HOUR = 3_600_000;
/** The baseline: the hours before the last one. */
const BASELINE_HOURS = 24;

export interface ServiceRate {
  service: string;
  /** Anomalies in the last hour. */
  now: number;
  /** Mean anomalies per hour over the BASELINE_HOURS before it. */
  usual: number;
  /** Highest score in the last hour. */
  peak: number;
}

/** Per service: the last hour's anomalies against the mean hour of the day before. */
export function serviceRates(answer: AggregateAnswer, nowMs: number): ServiceRate[] {
  const rates = new Map<string, ServiceRate>();
  for (const b of answer.buckets) {
    const r = rates.get(b.service) ?? { service: b.service, now: 0, usual: 0, peak: 0 };
    if (b.t >= nowMs - HOUR) {
      r.now += b.count;
      r.peak = Math.max(r.peak, b.max);
    } else {
      r.usual += b.count / BASELINE_HOURS;
    }
    rates.set(b.service, r);
  }
  return [...rates.values()].sort((a, b) => b.now - b.usual - (a.now - a.usual));
}

/** Cards "anomalies now vs usual" per service, refreshed with the page. */
export function ServiceCards({ reload }: { reload: number }) {
  const styles = useStyles2(getStyles);
  const [rates, setRates] = useState<ServiceRate[]>();
  useEffect(() => {
    const nowMs = Date.now();
    triageApi
      .aggregate({ from: String(nowMs - (BASELINE_HOURS + 1) * HOUR), to: String(nowMs), stepMs: HOUR / 4 })
      .then((answer) => setRates(serviceRates(answer, nowMs)))
      .catch(() => setRates(undefined));
  }, [reload]);
  if (!rates?.length) {
    return null;
  }
  return (
    <div className={styles.cards} aria-label="Services: anomalies now vs usual">
      {rates.map((r) => {
        const ratio = r.usual > 0 ? r.now / r.usual : r.now > 0 ? Infinity : 1;
        const color = ratio >= 3 ? 'red' : ratio >= 1.5 ? 'orange' : 'green';
        return (
          <section key={r.service} className={styles.card} aria-label={`Service ${r.service}`}>
            <Text weight="medium">{r.service}</Text>
            <Text element="p" variant="h3">{`${r.now}`}</Text>
            <Text color="secondary" variant="bodySmall">{`anomalies last hour · usual ${r.usual.toFixed(1)}/h`}</Text>
            <Badge
              color={color}
              text={Number.isFinite(ratio) ? `×${ratio.toFixed(1)} usual` : 'new: none in the day before'}
            />
          </section>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  cards: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) }),
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    minWidth: 180,
    padding: theme.spacing(1, 1.5),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});
