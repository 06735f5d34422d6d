import React from 'react';
import { Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { ROUTES } from '../../constants';
import { AnomaliesPage } from '../../pages/Anomalies';
import { TemplatesPage } from '../../pages/Templates';
import { ModelsPage } from '../../pages/Models';
import { BenchmarksPage } from '../../pages/Benchmarks';

function App(_props: AppRootProps) {
  return (
    <PluginPage>
      <Routes>
        <Route path={ROUTES.Templates} element={<TemplatesPage />} />
        <Route path={ROUTES.Models} element={<ModelsPage />} />
        <Route path={ROUTES.Benchmarks} element={<BenchmarksPage />} />
        <Route path="*" element={<AnomaliesPage />} />
      </Routes>
    </PluginPage>
  );
}

export default App;
