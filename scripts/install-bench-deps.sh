#!/bin/sh
# Installs the peers and the load generator used by `npm run bench`:
# nginx (nginx-light where the distribution still ships it), haproxy, wrk,
# h2load (nghttp2-client, for bench/http2.ts).
# Debian/Ubuntu only; needs root. Safe to run again.
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "install-bench-deps: must run as root (try: sudo $0)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-bench-deps: apt-get not found; install nginx, haproxy, wrk and h2load (nghttp2) with your package manager" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
nginx_pkg=nginx
if apt-cache show nginx-light >/dev/null 2>&1; then nginx_pkg=nginx-light; fi
apt-get install -y --no-install-recommends "$nginx_pkg" haproxy wrk nghttp2-client

# The packages enable system services; the bench starts its own instances
# on loopback ports, so stop the system ones if an init system started them.
for svc in nginx haproxy; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done
echo "install-bench-deps: ok ($(command -v nginx) $(command -v haproxy) $(command -v wrk) $(command -v h2load))"
