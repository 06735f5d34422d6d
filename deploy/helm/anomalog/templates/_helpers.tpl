{{/* Names and labels. */}}
{{- define "anomalog.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "anomalog.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The headless Service's name; "-headless" must fit in 63 characters. */}}
{{- define "anomalog.headlessName" -}}
{{- printf "%s-headless" (include "anomalog.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{- define "anomalog.selectorLabels" -}}
app.kubernetes.io/name: {{ include "anomalog.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "anomalog.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "anomalog.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: processor
app.kubernetes.io/part-of: anomalog
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "anomalog.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "anomalog.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "anomalog.secretName" -}}
{{- include "anomalog.fullname" . }}
{{- end }}

{{/* config.store.kind with the processor's default. */}}
{{- define "anomalog.storeKind" -}}
{{- (.Values.config.store | default dict).kind | default "sqlite" }}
{{- end }}

{{- define "anomalog.apiEnabled" -}}
{{- $api := .Values.config.api | default dict }}
{{- if hasKey $api "enabled" }}{{ $api.enabled }}{{ else }}true{{ end }}
{{- end }}

{{/*
The port of a host:port endpoint from config (processor defaults where the key is left out).
Call with (list $endpoint "key.path").
*/}}
{{- define "anomalog.port" -}}
{{- $endpoint := index . 0 }}
{{- $key := index . 1 }}
{{- $port := regexFind "[0-9]+$" $endpoint }}
{{- if or (not $port) (eq $port "0") }}
{{- fail (printf "%s: %q needs a fixed port on Kubernetes (host:port, not 0)" $key $endpoint) }}
{{- end }}
{{- $port }}
{{- end }}

{{- define "anomalog.grpcPort" -}}
{{- include "anomalog.port" (list (dig "receiver" "grpc" "endpoint" "0.0.0.0:4317" .Values.config) "config.receiver.grpc.endpoint") }}
{{- end }}
{{- define "anomalog.httpPort" -}}
{{- include "anomalog.port" (list (dig "receiver" "http" "endpoint" "0.0.0.0:4318" .Values.config) "config.receiver.http.endpoint") }}
{{- end }}
{{- define "anomalog.telemetryPort" -}}
{{- include "anomalog.port" (list (dig "telemetry" "endpoint" "0.0.0.0:9464" .Values.config) "config.telemetry.endpoint") }}
{{- end }}
{{- define "anomalog.apiPort" -}}
{{- include "anomalog.port" (list (dig "api" "endpoint" "127.0.0.1:8080" .Values.config) "config.api.endpoint") }}
{{- end }}
{{- define "anomalog.grpcEnabled" -}}
{{- dig "receiver" "grpc" "enabled" true .Values.config }}
{{- end }}
{{- define "anomalog.httpEnabled" -}}
{{- dig "receiver" "http" "enabled" true .Values.config }}
{{- end }}

{{/* A memory quantity (Ki, Mi, Gi, Ti, k, M, G, T or bytes) in MiB, rounded down. */}}
{{- define "anomalog.mebibytes" -}}
{{- $q := toString . }}
{{- $m := regexFindAll "^([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$" $q 1 }}
{{- if not $m }}{{ fail (printf "memory quantity %q: expected a number with Ki, Mi, Gi, Ti, k, M, G or T" $q) }}{{ end }}
{{- $num := regexReplaceAll "[A-Za-z]+$" $q "" | float64 }}
{{- $unit := regexReplaceAll "^[0-9.]+" $q "" }}
{{- $factor := dict "Ki" (divf 1 1024) "Mi" 1.0 "Gi" 1024.0 "Ti" 1048576.0 "k" (divf 1000 1048576) "M" (divf 1000000 1048576) "G" (divf 1000000000 1048576) "T" (divf 1000000000000 1048576) "" (divf 1 1048576) }}
{{- mulf $num (get $factor $unit) | floor | int }}
{{- end }}

{{/*
The V8 heap cap in MiB: heap.maxOldSpaceMiB, or the memory limit less the memory V8 does not manage. A process
whose heap may grow to its container's limit is OOM-killed instead of collecting garbage.
*/}}
{{- define "anomalog.heapMiB" -}}
{{- if .Values.heap.maxOldSpaceMiB }}
{{- .Values.heap.maxOldSpaceMiB | int }}
{{- else }}
{{- $limit := dig "limits" "memory" "" (.Values.resources | default dict) }}
{{- if not $limit }}
{{- fail "resources.limits.memory is unset: set it (the heap cap is derived from it) or set heap.maxOldSpaceMiB" }}
{{- end }}
{{- $heap := sub (include "anomalog.mebibytes" $limit | int) (.Values.heap.nativeHeadroomMiB | int) }}
{{- if lt $heap 128 }}
{{- fail (printf "resources.limits.memory %s leaves %d MiB of heap after heap.nativeHeadroomMiB (%d); at least 128 are needed" $limit $heap (.Values.heap.nativeHeadroomMiB | int)) }}
{{- end }}
{{- $heap }}
{{- end }}
{{- end }}

{{/* The processor's configuration file. */}}
{{- define "anomalog.configYaml" -}}
{{- if and (eq (include "anomalog.storeKind" .) "sqlite") (not (hasPrefix "/" (dig "store" "dataDir" "" .Values.config))) }}
{{- fail "config.store.dataDir must be an absolute path with config.store.kind sqlite (the chart mounts the volume there; the image's file system is read-only)" }}
{{- end }}
{{- toYaml .Values.config }}
{{- end }}

{{/* Seconds between SIGTERM and SIGKILL. */}}
{{- define "anomalog.terminationGrace" -}}
{{- $shutdownMs := dig "telemetry" "shutdownTimeoutMs" 10000 .Values.config | int }}
{{- add (div (add $shutdownMs 999) 1000) (.Values.terminationGraceExtraSeconds | int) }}
{{- end }}

{{/* One ingress rule of the NetworkPolicy: named ports, from the given peers (none: any source). */}}
{{- define "anomalog.policyRule" -}}
- ports:
    {{- range .ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- with .from }}
  from:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
