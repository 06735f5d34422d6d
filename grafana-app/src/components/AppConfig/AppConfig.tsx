import React, { ChangeEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';
import { TestConnection } from './TestConnection';

export type AppSettings = {
  processorUrl?: string;
};

type State = {
  // The URL to reach our custom API.
  processorUrl: string;
  // Tells us if the API key secret is set.
  isApiTokenSet: boolean;
  // A secret key for our custom API.
  apiToken: string;
};

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    processorUrl: jsonData?.processorUrl || '',
    apiToken: '',
    isApiTokenSet: Boolean(secureJsonFields?.apiToken),
  });

  const isSubmitDisabled = Boolean(!state.processorUrl || (!state.isApiTokenSet && !state.apiToken));

  const onResetApiToken = () =>
    setState({
      ...state,
      apiToken: '',
      isApiTokenSet: false,
    });

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    setState({
      ...state,
      [event.target.name]: event.target.value.trim(),
    });
  };

  const onSubmit = () => {
    if (isSubmitDisabled) {
      return;
    }

    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: {
        processorUrl: state.processorUrl,
      },
      // This cannot be queried later by the frontend.
      // We don't want to override it in case it was set previously and left untouched now.
      secureJsonData: state.isApiTokenSet
        ? undefined
        : {
            apiToken: state.apiToken,
          },
    });
  };

  return (
    <form onSubmit={onSubmit}>
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
            onReset={onResetApiToken}
          />
        </Field>

        <Field label="Processor URL" description="" className={s.marginTop}>
          <Input
            width={60}
            name="processorUrl"
            id="config-api-url"
            data-testid={testIds.appConfig.processorUrl}
            value={state.processorUrl}
            placeholder={`E.g. http://anomalog-processor:4320`}
            onChange={onChange}
          />
        </Field>

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
  colorWeak: css`
    color: ${theme.colors.text.secondary};
  `,
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppSettings>>) => {
  try {
    await updatePlugin(pluginId, data);

    // Reloading the page as the changes made here wouldn't be propagated to the actual plugin otherwise.
    // This is not ideal, however unfortunately currently there is no supported way for updating the plugin state.
    window.location.reload();
  } catch (e) {
    console.error('Error while updating the plugin', e);
  }
};

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) => {
  const response = await getBackendSrv().fetch({
    url: `/api/plugins/${pluginId}/settings`,
    method: 'POST',
    data,
  });

  return lastValueFrom(response);
};
