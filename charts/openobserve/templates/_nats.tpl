{{/* NATS as the nats chart 1.1.12 rendered it (HELM-SPEC §6), named <release>-nats. */}}

{{- define "nats.labels" -}}
helm.sh/chart: nats-1.1.12
{{ include "nats.selectorLabels" . }}
app.kubernetes.io/version: "2.10.16"
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "nats.boxLabels" -}}
helm.sh/chart: nats-1.1.12
{{ include "nats.boxSelectorLabels" . }}
app.kubernetes.io/version: "2.10.16"
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "nats.selectorLabels" -}}
app.kubernetes.io/name: nats
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: nats
{{- end }}

{{- define "nats.boxSelectorLabels" -}}
app.kubernetes.io/name: nats
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: nats-box
{{- end }}

{{/* [registry/]repository:tag; the registry is the image's own or nats.global.image.registry. */}}
{{- define "nats.image" -}}
{{- $registry := default .global.registry .image.registry }}
{{- if $registry }}{{ printf "%s/%s:%s" $registry .image.repository .image.tag }}{{ else }}{{ printf "%s:%s" .image.repository .image.tag }}{{ end }}
{{- end }}

{{- define "nats.pullPolicy" -}}
{{- default (default "IfNotPresent" .global.pullPolicy) .image.pullPolicy }}
{{- end }}

{{/* Features of the nats chart this chart does not render fail the render rather than vanish. */}}
{{- define "nats.unsupported" -}}
{{- $c := .Values.nats.config }}
{{- range $feature := list "leafnodes" "websocket" "mqtt" "gateway" "resolver" }}
{{- if (get $c $feature | default dict).enabled }}
{{- fail (printf "nats.config.%s.enabled: this chart renders NATS itself and does not implement %s; use an external NATS (nats.enabled=false, nats.externalUrl)" $feature $feature) }}
{{- end }}
{{- end }}
{{- range $key := list "tls" "merge" "patch" }}
{{- if or (and (hasKey $c $key) (get $c $key)) (and (hasKey ($c.nats | default dict) $key) (get $c.nats $key)) }}
{{- fail (printf "nats.config.%s is not supported by this chart's NATS templates; use an external NATS (nats.enabled=false, nats.externalUrl)" $key) }}
{{- end }}
{{- end }}
{{- end }}

{{/* nats.conf as JSON; `server_name` and `max_file_store` are left unquoted as NATS reads them. */}}
{{- define "nats.conf" -}}
{{- $n := include "openobserve.natsName" . }}
{{- $c := .Values.nats.config }}
{{- $parts := list }}
{{- if $c.cluster.enabled }}
{{- $r := $c.cluster.routeURLs }}
{{- $auth := ternary (printf "%s:%s@" $r.user $r.password) "" (and (ne (toString $r.user) "") (ne (toString $r.password) "")) }}
{{- $domain := ternary (printf ".%s.svc.%s" .Release.Namespace (default "cluster.local" $r.k8sClusterDomain)) "" (default false $r.useFQDN) }}
{{- $routes := list }}
{{- range $i := until (int $c.cluster.replicas) }}
{{- $routes = append $routes (printf "nats://%s%s-%d.%s-headless%s:%d" $auth $n $i $n $domain (int $c.cluster.port)) }}
{{- end }}
{{- $parts = append $parts (printf "\"cluster\": {\"name\": %s, \"no_advertise\": true, \"port\": %d, \"routes\": %s}" ($n | toJson) (int $c.cluster.port) ($routes | toJson)) }}
{{- end }}
{{- if $c.monitor.enabled }}
{{- $parts = append $parts (printf "\"http_port\": %d" (int $c.monitor.port)) }}
{{- end }}
{{- if $c.jetstream.enabled }}
{{- $fs := $c.jetstream.fileStore }}
{{- $js := list }}
{{- if $fs.enabled }}
{{- $js = append $js (printf "\"max_file_store\": %s" (default $fs.pvc.size $fs.maxSize)) }}
{{- end }}
{{- $js = append $js (printf "\"max_memory_store\": %s" (ternary (toString $c.jetstream.memoryStore.maxSize) "0" (default false $c.jetstream.memoryStore.enabled))) }}
{{- if $fs.enabled }}
{{- $js = append $js (printf "\"store_dir\": %s" (default "/data" $fs.dir | toJson)) }}
{{- end }}
{{- $parts = append $parts (printf "\"jetstream\": {%s}" (join ", " $js)) }}
{{- end }}
{{- $parts = append $parts "\"lame_duck_duration\": \"30s\", \"lame_duck_grace_period\": \"10s\", \"pid_file\": \"/var/run/nats/nats.pid\"" }}
{{- $parts = append $parts (printf "\"port\": %d, \"server_name\": $SERVER_NAME" (int $c.nats.port)) }}
{{- printf "{%s}" (join ", " $parts) }}
{{- end }}
