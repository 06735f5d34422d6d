{{/* The pod of the StatefulSet (SQLite) or the Deployment (PostgreSQL). */}}
{{- define "anomalog.podTemplate" -}}
metadata:
  labels:
    {{- include "anomalog.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "anomalog.configYaml" . | sha256sum }}
    {{- if .Values.metrics.podAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ include "anomalog.telemetryPort" . | quote }}
    prometheus.io/path: /metrics
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "anomalog.serviceAccountName" . }}
  # The processor calls no Kubernetes API.
  automountServiceAccountToken: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ include "anomalog.terminationGrace" . }}
  containers:
    - name: anomalog
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      # node itself as PID 1 (not npm start) so SIGTERM reaches the processor's graceful shutdown; the flags
      # are those of collector-processor's start script with the heap cap derived from the memory limit.
      command:
        - node
        - --max-old-space-size={{ include "anomalog.heapMiB" . }}
        - collector-processor/bin/anomalog.js
      args:
        - --config
        - /etc/anomalog/config.yaml
      env:
        {{- if eq (include "anomalog.apiEnabled" .) "true" }}
        - name: ANOMALOG_API_TOKEN
          valueFrom:
            secretKeyRef:
              name: {{ .Values.apiToken.existingSecret | default (include "anomalog.secretName" .) }}
              key: {{ .Values.apiToken.existingSecretKey }}
        {{- end }}
        {{- if eq (include "anomalog.storeKind" .) "postgres" }}
        - name: ANOMALOG_STORE_POSTGRES_URL
          valueFrom:
            secretKeyRef:
              name: {{ .Values.postgres.existingSecret | default (include "anomalog.secretName" .) }}
              key: {{ .Values.postgres.existingSecretKey }}
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        {{- if eq (include "anomalog.grpcEnabled" .) "true" }}
        - name: otlp-grpc
          containerPort: {{ include "anomalog.grpcPort" . }}
          protocol: TCP
        {{- end }}
        {{- if eq (include "anomalog.httpEnabled" .) "true" }}
        - name: otlp-http
          containerPort: {{ include "anomalog.httpPort" . }}
          protocol: TCP
        {{- end }}
        {{- if eq (include "anomalog.apiEnabled" .) "true" }}
        - name: api
          containerPort: {{ include "anomalog.apiPort" . }}
          protocol: TCP
        {{- end }}
        - name: metrics
          containerPort: {{ include "anomalog.telemetryPort" . }}
          protocol: TCP
      # The telemetry server's own endpoints: /healthz answers while the process runs, /readyz turns 503
      # when the processor stops taking data (SIGTERM), so the Collector's resolver drops the pod first.
      startupProbe:
        httpGet:
          path: /healthz
          port: metrics
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: metrics
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /readyz
          port: metrics
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/anomalog
          readOnly: true
        # Node's temporary files (the root file system is read-only).
        - name: tmp
          mountPath: /tmp
        {{- if eq (include "anomalog.storeKind" .) "sqlite" }}
        - name: data
          mountPath: {{ dig "store" "dataDir" "" .Values.config }}
        {{- end }}
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "anomalog.fullname" . }}
    - name: tmp
      emptyDir: {}
    {{- if and (eq (include "anomalog.storeKind" .) "sqlite") (not .Values.persistence.enabled) }}
    - name: data
      emptyDir: {}
    {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
