{{- define "greengrass-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "greengrass-operator.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "greengrass-operator.labels" -}}
app.kubernetes.io/name: {{ include "greengrass-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: greengrass
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "greengrass-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "greengrass-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
