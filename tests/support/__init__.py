"""Helpers the API tests share: a real ``corral server`` process, runners for the real
kubectl and helm binaries, kubectl table parsing and unique names."""
