{{/* Labels every object of the release carries, besides the ones manifests/ gives it. */}}
{{- define "metagent.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* registry/repository:tag@digest; the tag defaults to the chart's appVersion. dict: image, appVersion. */}}
{{- define "metagent.image" -}}
{{- $repo := ternary (printf "%s/%s" .image.registry .image.repository) .image.repository (not (empty .image.registry)) -}}
{{- printf "%s:%s" $repo (.image.tag | default .appVersion) -}}
{{- with .image.digest }}{{ printf "@%s" . }}{{ end -}}
{{- end }}

{{/* A JSON list of args without the given --flags (either --flag=value or a bare --flag). dict: args, flags. */}}
{{- define "metagent.withoutFlags" -}}
{{- $out := list -}}
{{- range .args -}}
{{- if not (has (regexReplaceAll "=.*$" . "") $.flags) -}}{{- $out = append $out . -}}{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{/*
The webhook CA and serving certificate as YAML (ca, cert, key; PEM). An existing Secret of an earlier release is
reused (so upgrades keep the certificate and the caBundle stays valid); otherwise a new CA signs a new certificate.
dict: root, secretName, dnsNames.
*/}}
{{- define "metagent.webhookTLS" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secretName -}}
{{- $data := dig "data" (dict) ($existing | default (dict)) -}}
{{- if and (index $data "ca.crt") (index $data "tls.crt") (index $data "tls.key") -}}
ca: {{ index $data "ca.crt" | b64dec | toJson }}
cert: {{ index $data "tls.crt" | b64dec | toJson }}
key: {{ index $data "tls.key" | b64dec | toJson }}
{{- else -}}
{{- $days := int .root.Values.certificate.validityDays -}}
{{- $ca := genCA "metagent-webhooks-ca" $days -}}
{{- $cert := genSignedCert (index .dnsNames 0) nil .dnsNames $days $ca -}}
ca: {{ $ca.Cert | toJson }}
cert: {{ $cert.Cert | toJson }}
key: {{ $cert.Key | toJson }}
{{- end -}}
{{- end }}
