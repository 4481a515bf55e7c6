"""Pure helpers every layer shares, as k8s.io/apimachinery is for Kubernetes: API errors
as Status objects, label and field selectors, object names, timestamps. Nothing here does
I/O or imports another Corral package."""
