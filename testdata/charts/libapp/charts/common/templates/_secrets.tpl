{{/*
The password of key in the Secret name: the value given, else the one the
release already has (lookup), else a new random one on a first install.
An upgrade that can find neither fails, as Bitnami's
common.errors.upgrade.passwords.empty does.
*/}}
{{- define "common.secrets.password" -}}
{{- $existing := lookup "v1" "Secret" .context.Release.Namespace .name -}}
{{- if .value -}}
{{- .value | b64enc -}}
{{- else if and $existing (index $existing.data .key) -}}
{{- index $existing.data .key -}}
{{- else if .context.Release.IsUpgrade -}}
{{- printf "\nPASSWORDS ERROR: You must provide your current passwords when upgrading the release.\n'%s' in Secret '%s' was not found" .key .name | fail -}}
{{- else -}}
{{- randAlphaNum 16 | b64enc -}}
{{- end -}}
{{- end -}}
