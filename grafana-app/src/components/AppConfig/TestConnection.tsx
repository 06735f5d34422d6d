import React, { useState } from 'react';
import { Alert, Button } from '@grafana/ui';
import { health } from '../../api/client';

type Outcome = { ok: true; text: string } | { ok: false; text: string };

/** Calls the processor's health endpoint through the proxy route, i.e. with the saved URL and token. */
export function TestConnection() {
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const test = () => {
    setBusy(true);
    health()
      .then((h) => setOutcome({ ok: true, text: `Connected to processor ${h.version} (${h.status}).` }))
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
