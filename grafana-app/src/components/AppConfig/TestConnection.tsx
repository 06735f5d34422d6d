import React, { useState } from 'react';
import { Alert, Button } from '@grafana/ui';
import { api, health } from '../../api/client';

type Outcome = { ok: true; text: string } | { ok: false; text: string };

/**
 * Calls the processor through the proxy route, i.e. with the saved URL and token: /health (which
 * needs no token) says it is reachable, then /services says whether the token is accepted.
 */
export function TestConnection() {
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const test = () => {
    setBusy(true);
    health()
      .then(async (h) => {
        const services = await api.services();
        const seen = services.length === 0 ? 'no services yet' : `${services.length} service(s)`;
        setOutcome({ ok: true, text: `Connected to processor ${h.version} (${h.status}); token accepted, ${seen}.` });
      })
      .catch((e: Error) => setOutcome({ ok: false, text: e.message }))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <Button variant="secondary" onClick={test} disabled={busy}>
        Test connection
      </Button>
      {outcome && (
        <Alert
          severity={outcome.ok ? 'success' : 'error'}
          title={outcome.ok ? 'Connection works' : 'Connection failed'}
        >
          {outcome.text}
        </Alert>
      )}
    </>
  );
}
