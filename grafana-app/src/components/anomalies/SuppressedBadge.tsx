import React from 'react';
import { Badge } from '@grafana/ui';

/** The API still lists anomalies a user marked normal (or whose template was suppressed): say so. */
export function SuppressedBadge() {
  return <Badge text="marked normal" color="green" tooltip="Feedback: marked normal or template suppressed" />;
}
