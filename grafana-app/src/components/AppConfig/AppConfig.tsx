import React, { ChangeEvent, FormEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { PROCESSOR_URL_EXAMPLE, type AppSettings } from '../../state/appSettings';
import { testIds } from '../testIds';
import { TestConnection } from './TestConnection';

export type { AppSettings };

type State = {
  processorUrl: string;
  lokiDatasourceUid: string;
  /** A token is stored already (secureJsonFields); it is never sent back to the browser. */
  isApiTokenSet: boolean;
  apiToken: string;
};

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    processorUrl: jsonData?.processorUrl || '',
    lokiDatasourceUid: jsonData?.lokiDatasourceUid || '',
    apiToken: '',
    isApiTokenSet: Boolean(secureJsonFields?.apiToken),
  });
  const [error, setError] = useState<string>();

  const isSubmitDisabled = Boolean(!state.processorUrl || (!state.isApiTokenSet && !state.apiToken));

  const onChange = (event: ChangeEvent<HTMLInputElement>) =>
    setState({ ...state, [event.target.name]: event.target.value.trim() });

  // The browser's own submit would GET the page with every named input in the query string (the
  // token included, into history and proxy logs): it is always cancelled, and settings go by POST.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isSubmitDisabled) {
      return;
    }
    setError(undefined);
    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: {
        processorUrl: state.processorUrl,
        ...(state.lokiDatasourceUid ? { lokiDatasourceUid: state.lokiDatasourceUid } : {}),
      },
      // Not readable by the browser later; left out when the stored one is kept, so it is not overwritten.
      secureJsonData: state.isApiTokenSet ? undefined : { apiToken: state.apiToken },
    }).catch((e: { data?: { message?: string }; message?: string }) =>
      setError(e?.data?.message ?? e?.message ?? 'Grafana did not save the settings.'),
    );
  };

  return (
    <form onSubmit={onSubmit} aria-label="Anomalog settings">
      <FieldSet label="API Settings">
        <Field
          label="API token"
          description="The processor API token; stored encrypted, sent only by Grafana server-side"
        >
          <SecretInput
            width={60}
            id="config-api-key"
            data-testid={testIds.appConfig.apiToken}
            name="apiToken"
            value={state.apiToken}
            isConfigured={state.isApiTokenSet}
            placeholder={'Your secret API key'}
            onChange={onChange}
            onReset={() => setState({ ...state, apiToken: '', isApiTokenSet: false })}
          />
        </Field>

        <Field
          label="Processor URL"
          description="The processor's API (api.endpoint, port 8080 by default) as Grafana's server reaches it"
          className={s.marginTop}
        >
          <Input
            width={60}
            name="processorUrl"
            id="config-api-url"
            data-testid={testIds.appConfig.processorUrl}
            value={state.processorUrl}
            placeholder={`E.g. ${PROCESSOR_URL_EXAMPLE}`}
            onChange={onChange}
          />
        </Field>

        <Field
          label="Loki data source"
          description="Where the Collector exports the annotated logs; the anomaly drawer's Open in Explore queries it"
          className={s.marginTop}
        >
          <DataSourcePicker
            width={60}
            inputId="config-loki-datasource"
            type="loki"
            noDefault
            current={state.lokiDatasourceUid || null}
            placeholder="Choose a Loki data source"
            onChange={(ds) => setState({ ...state, lokiDatasourceUid: ds.uid })}
            onClear={() => setState({ ...state, lokiDatasourceUid: '' })}
          />
        </Field>

        {error && (
          <Alert severity="error" title="Settings not saved">
            {error}
          </Alert>
        )}
        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            Save API settings
          </Button>{' '}
          <TestConnection />
        </div>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppSettings>>) => {
  await updatePlugin(pluginId, data);
  // The app's settings reach its pages only through a reload (no supported way to update plugin state).
  window.location.reload();
};

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) => {
  const response = getBackendSrv().fetch({
    url: `/api/plugins/${pluginId}/settings`,
    method: 'POST',
    data,
    showErrorAlert: false,
  });
  return lastValueFrom(response);
};
