{{/* Names, labels and images shared by every template. Names follow HELM-SPEC §1 exactly. */}}

{{- define "openobserve.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release> when it already contains the chart name, else <release>-openobserve. */}}
{{- define "openobserve.fullname" -}}
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

{{- define "openobserve.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: byte-identical to the 2024 chart, or `helm upgrade` from it fails. */}}
{{- define "openobserve.selectorLabels" -}}
app.kubernetes.io/name: {{ include "openobserve.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "openobserve.labels" -}}
helm.sh/chart: {{ include "openobserve.chart" . }}
{{ include "openobserve.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "openobserve.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "openobserve.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* NATS and MinIO are named from the release, as the 2024 subcharts named them. */}}
{{- define "openobserve.natsName" -}}
{{- printf "%s-nats" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "openobserve.minioName" -}}
{{- printf "%s-minio" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* In-cluster FQDN of a Service: <name>.<ns>.svc.<clusterDomain>. */}}
{{- define "openobserve.fqdn" -}}
{{- printf "%s.%s.svc.%s" .name .root.Release.Namespace .root.Values.clusterDomain }}
{{- end }}

{{- define "openobserve.secretName" -}}
{{- if .Values.externalSecret.enabled }}{{ .Values.externalSecret.name }}{{ else }}{{ include "openobserve.fullname" . }}{{ end }}
{{- end }}

{{/* Image of a role: image.roles.<role> when set (O2TS ships one image per role), else the
     enterprise or oss image; the tag falls back to appVersion. */}}
{{- define "openobserve.image" -}}
{{- $v := .root.Values.image }}
{{- $base := ternary $v.enterprise $v.oss (and (hasKey .root.Values "enterprise") .root.Values.enterprise.enabled) }}
{{- $own := get (default dict $v.roles) .role | default dict }}
{{- $repo := default $base.repository $own.repository }}
{{- $tag := default (default .root.Chart.AppVersion $base.tag) $own.tag }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{/* The object-store DSN password must not break the URL: URL-encode the user info. */}}
{{- define "openobserve.postgresDsn" -}}
{{- $host := include "openobserve.fqdn" (dict "root" . "name" (printf "%s-postgres-rw" (include "openobserve.fullname" .))) }}
{{- printf "postgres://openobserve:%s@%s:5432/app?sslmode=disable" (urlquery .Values.postgres.spec.password) $host }}
{{- end }}
