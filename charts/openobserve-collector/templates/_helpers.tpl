{{- define "collector.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release> when it already contains the chart name, else <release>-openobserve-collector. */}}
{{- define "collector.fullname" -}}
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

{{- define "collector.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "collector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "collector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "collector.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The collector config of one CR: its own sections plus the shared top-level exporters. */}}
{{- define "collector.config" -}}
{{- $c := .component }}
{{- $config := dict "receivers" $c.receivers "processors" $c.processors "extensions" $c.extensions "connectors" ($c.connectors | default dict) "service" $c.service "exporters" .root.Values.exporters }}
{{- if not $config.connectors }}{{ $_ := unset $config "connectors" }}{{ end }}
{{- toYaml $config }}
{{- end }}

{{/* spec.config: a string for v1alpha1, a map for v1beta1. */}}
{{- define "collector.specConfig" -}}
{{- if eq .root.Values.collectorApiVersion "v1beta1" }}
config:
  {{- include "collector.config" . | nindent 2 }}
{{- else }}
config: |
  {{- include "collector.config" . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "collector.apiVersion" -}}
{{- if not (has .Values.collectorApiVersion (list "v1alpha1" "v1beta1")) }}
{{- fail (printf "collectorApiVersion=%s: use v1alpha1 or v1beta1" .Values.collectorApiVersion) }}
{{- end }}
{{- printf "opentelemetry.io/%s" .Values.collectorApiVersion }}
{{- end }}
