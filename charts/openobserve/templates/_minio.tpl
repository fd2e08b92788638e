{{/* MinIO as the minio chart 5.0.7 rendered it (HELM-SPEC §7), named <release>-minio. */}}
{{- define "minio.labels" -}}
app: minio
chart: minio-5.0.7
release: {{ .Release.Name }}
heritage: {{ .Release.Service }}
{{- end }}

{{- define "minio.selectorLabels" -}}
app: minio
release: {{ .Release.Name }}
{{- end }}

{{- define "minio.secretName" -}}
{{- default (include "openobserve.minioName" .) .Values.minio.existingSecret }}
{{- end }}

{{/* One Service port; a NodePort with a fixed nodePort omits targetPort, as the 5.0.7 chart did. */}}
{{- define "minio.servicePort" -}}
- name: http
  port: {{ .svc.port | int }}
  protocol: TCP
  {{- if and (eq .svc.type "NodePort") .svc.nodePort }}
  nodePort: {{ .svc.nodePort | int }}
  {{- else }}
  targetPort: {{ .target | int }}
  {{- end }}
{{- end }}
