{{/* The pod template of one role (HELM-SPEC §4.1). Called with
     dict "root" $ "role" <role> "container" <name> "volume" <volume name or "">. */}}
{{- define "openobserve.podTemplate" -}}
{{- $ := .root }}
{{- $role := .role }}
{{- $v := $.Values }}
{{- $probe := get $v.probes $role | default dict }}
{{- $persistence := ((get $v $role | default dict).persistence | default dict) }}
metadata:
  labels:
    {{- include "openobserve.selectorLabels" $ | nindent 4 }}
    role: {{ $role }}
  annotations:
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") $ | sha256sum }}
    checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") $ | sha256sum }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "openobserve.serviceAccountName" $ }}
  {{- with $v.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $v.podSecurityContext | nindent 4 }}
  {{- if eq $role "ingester" }}
  terminationGracePeriodSeconds: {{ $v.ingester.terminationGracePeriodSeconds | default 30 }}
  {{- end }}
  {{- $initNeeded := or (and (eq $role "ingester") $v.ingester.persistence.volumePermissions.enabled $v.ingester.persistence.enabled) $v.etcd.enabled $v.nats.enabled }}
  {{- if $initNeeded }}
  initContainers:
    {{- if and (eq $role "ingester") $v.ingester.persistence.volumePermissions.enabled $v.ingester.persistence.enabled }}
    - name: volume-permissions
      image: {{ $v.image.busybox.repository }}:{{ $v.image.busybox.tag }}
      command: ["sh", "-c", "chown -R {{ $v.podSecurityContext.runAsUser }}:{{ $v.podSecurityContext.fsGroup }} /data"]
      securityContext:
        runAsUser: 0
        runAsNonRoot: false
      volumeMounts:
        - name: {{ .volume }}
          mountPath: /data
    {{- end }}
    {{- if $v.etcd.enabled }}
    - name: check-etcd
      image: {{ $v.image.busybox.repository }}:{{ $v.image.busybox.tag }}
      command: ["sh", "-c", "until nc -z {{ $.Release.Name }}-etcd 2379; do echo waiting for etcd; sleep 2; done"]
    {{- end }}
    {{- if $v.nats.enabled }}
    - name: check-nats
      image: {{ $v.image.busybox.repository }}:{{ $v.image.busybox.tag }}
      command: ["sh", "-c", "until nc -zv {{ include "openobserve.natsName" $ }} 4222; do echo waiting for nats; sleep 2; done"]
    {{- end }}
  {{- end }}
  containers:
    - name: {{ .container }}
      image: {{ include "openobserve.image" (dict "root" $ "role" $role) }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      securityContext:
        {{- toYaml $v.securityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ $v.config.ZO_HTTP_PORT | int }}
        - name: grpc
          containerPort: {{ $v.config.ZO_GRPC_PORT | int }}
        {{- if eq $role "alertmanager" }}
        - name: report-server
          containerPort: {{ $v.config.ZO_REPORT_SERVER_HTTP_PORT | int }}
        {{- end }}
      envFrom:
        - configMapRef:
            name: {{ include "openobserve.fullname" $ }}
        - configMapRef:
            name: {{ include "openobserve.fullname" $ }}-{{ $role }}
        - secretRef:
            name: {{ include "openobserve.secretName" $ }}
      env:
        - name: ZO_NODE_ROLE
          value: {{ $role }}
        # O2TS advertises ZO_GRPC_ADDR to its peers in the node registry: the pod IP is the one
        # address every other pod can reach (a Deployment pod's host name does not resolve).
        - name: ZO_GRPC_ADDR
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if $probe.enabled }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: {{ $v.config.ZO_HTTP_PORT | int }}
        initialDelaySeconds: {{ $probe.initialDelaySeconds | default 10 }}
        failureThreshold: {{ $probe.failureThreshold | default 3 }}
      # Ready only while the role's dependencies (metastore, object store, NATS; an ingester's
      # WAL disk) answer: every role serves /readyz on its HTTP port (the ops port).
      readinessProbe:
        httpGet:
          path: /readyz
          port: {{ $v.config.ZO_HTTP_PORT | int }}
        initialDelaySeconds: {{ $probe.initialDelaySeconds | default 10 }}
        failureThreshold: {{ $probe.failureThreshold | default 3 }}
      {{- end }}
      {{- if and (eq $role "ingester") $v.ingester.preStopFlush.enabled }}
      lifecycle:
        preStop:
          exec:
            # Memtables → object storage before the pod goes (PUT /node/flush on this pod).
            command:
              - node
              - -e
              - >-
                fetch('http://127.0.0.1:' + process.env.ZO_HTTP_PORT + '/node/flush', {method: 'PUT',
                headers: {authorization: 'Basic ' + Buffer.from(process.env.ZO_ROOT_USER_EMAIL + ':' +
                process.env.ZO_ROOT_USER_PASSWORD).toString('base64')}}).catch(() => {})
      {{- end }}
      resources:
        {{- toYaml (get $v.resources $role | default dict) | nindent 8 }}
      {{- if .volume }}
      volumeMounts:
        - name: {{ .volume }}
          mountPath: /data
      {{- end }}
  {{- with get $v.nodeSelector $role }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with get $v.affinity $role }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with get $v.tolerations $role }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if and .volume (not $persistence.enabled) }}
  volumes:
    - name: {{ .volume }}
      emptyDir: {}
  {{- end }}
{{- end }}
