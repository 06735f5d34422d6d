import { usePluginContext } from '@grafana/data';

/** The app's jsonData (plugin settings): what the config page saves and the pages read. */
export interface AppSettings {
  /** Where Grafana's proxy route forwards to (the processor's API). */
  processorUrl?: string;
  /** The Loki data source holding the annotated logs, for "Open in Explore". */
  lokiDatasourceUid?: string;
}

/** The processor API's default listen port (api.endpoint), so the placeholder matches a default install. */
export const PROCESSOR_URL_EXAMPLE = 'http://anomalog:8080';

/** The app's settings from the plugin context Grafana mounts the app pages in; empty outside it. */
export function useAppSettings(): AppSettings {
  const context = usePluginContext<AppSettings>();
  return context?.meta.jsonData ?? {};
}
