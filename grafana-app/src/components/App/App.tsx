import React from 'react';
import { Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { ROUTES } from '../../constants';
import { AnomaliesPage } from '../../pages/Anomalies';

function App(_props: AppRootProps) {
  return (
    <PluginPage>
      <Routes>
        <Route path={`${ROUTES.Anomalies}`} element={<AnomaliesPage />} />
        <Route path="*" element={<AnomaliesPage />} />
      </Routes>
    </PluginPage>
  );
}

export default App;
