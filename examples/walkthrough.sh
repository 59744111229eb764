#!/usr/bin/env bash
# The README walkthrough as one script: extract the first service of examples/monolith_app and watch its
# traffic move through nginx.
#
#   bash examples/walkthrough.sh [WORKDIR]
#
# It plans the extraction, installs the first wave's service into a virtualenv, starts the patched monolith,
# the service and nginx (phase 1) on free loopback ports with a fresh SQLite database, waits until each one
# answers, replays the example's HTTP scenarios through nginx and prints the result. Everything it starts is
# stopped when it ends, also on Ctrl-C; everything it writes goes under WORKDIR (default: a new temporary
# directory), which it keeps so you can read the logs. Needs: strangler installed (README), nginx.
# Exit status: 0 when every scenario answers like the monolith, 1 otherwise, 2 on wrong use.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example="$repo/examples/monolith_app"
if [ "$#" -gt 1 ]; then
  echo "usage: bash examples/walkthrough.sh [WORKDIR]" >&2
  exit 2
fi
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/strangler-walkthrough.XXXXXX")}
mkdir -p "$work"
work=$(cd "$work" && pwd)
nginx=$(command -v nginx || true)
[ -n "$nginx" ] || for candidate in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx; do
  [ -x "$candidate" ] && nginx=$candidate && break
done
if [ -z "$nginx" ]; then
  echo "error: nginx is not installed" >&2
  echo "hint: apt-get install nginx (or your system's package), then run this again" >&2
  exit 2
fi
python=${PYTHON:-python3}

# Nothing outside $work: no bytecode beside the sources, pip's and other caches inside $work.
export PYTHONDONTWRITEBYTECODE=1 PIP_CACHE_DIR="$work/cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1
export XDG_CACHE_HOME="$work/cache"

pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT
trap 'echo "interrupted: stopping everything" >&2; exit 130' INT TERM

free_ports() {  # three distinct free loopback ports, held together while chosen
  "$python" - <<'PY'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

wait_for() {  # wait_for NAME URL PID: until URL answers (any HTTP status), or fail when PID dies
  "$python" - "$1" "$2" "$3" "$work/logs" <<'PY'
import os, sys, time, urllib.error, urllib.request
name, url, pid, logs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(f"error: {name} exited before answering; see {logs}/{name}.log")
    try:
        urllib.request.urlopen(url, timeout=2).close()
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(f"error: {name} did not answer {url} within 30 s; see {logs}/{name}.log")
PY
}

read -r monolith_port service_port proxy_port < <(free_ports)
mkdir -p "$work/logs" "$work/nginx"
rm -f "$work/shop.sqlite3"

echo "1/6 plan the extraction of examples/monolith_app into $work/out"
strangler plan "$example" -o "$work/out" --no-history --no-cache --quiet --format json > "$work/logs/plan.json"
service=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["waves"][0]["service"])' "$work/logs/plan.json")
package=${service//-/_}
strangler plan "$example" -o "$work/out" --no-history --no-cache --quiet \
  --monolith-upstream "127.0.0.1:$monolith_port" --service-upstream "$service=127.0.0.1:$service_port" \
  --listen "$proxy_port" > "$work/logs/plan.txt"

echo "2/6 install the first wave's service ($service) into $work/venv"
"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work/out/services/$service" > "$work/logs/pip.log" 2>&1 || {
  echo "error: pip could not install $work/out/services/$service; see $work/logs/pip.log" >&2
  exit 1
}

echo "3/6 patch a copy of the monolith ($work/shop) so that it calls $service"
rm -rf "$work/shop"
cp -R "$example" "$work/shop"
rm -rf "$work/shop"/*.sqlite3
cp -R "$work/out/monolith_patch/files/." "$work/shop/"

token=$("$python" -c 'import secrets; print(secrets.token_hex(16))')
export SHOP_DATABASE_URL="sqlite:///$work/shop.sqlite3" SHOP_FIXED_NOW="2026-01-01T00:00:00+00:00"
export STRANGLER_INTERNAL_TOKEN="$token" MONOLITH_URL="http://127.0.0.1:$monolith_port"
service_env=$(printf '%s_SERVICE_URL' "$package" | tr '[:lower:]' '[:upper:]')
export "$service_env=http://127.0.0.1:$service_port"

echo "4/6 start the monolith (:$monolith_port), $service (:$service_port) and nginx phase 1 (:$proxy_port)"
(cd "$work/shop" && exec "$python" -m shop --port "$monolith_port") > "$work/logs/monolith.log" 2>&1 &
pids+=("$!")
wait_for monolith "http://127.0.0.1:$monolith_port/health" "${pids[-1]}"
(cd "$work" && exec "$work/venv/bin/python" -m "$package" --port "$service_port") > "$work/logs/$service.log" 2>&1 &
pids+=("$!")
wait_for "$service" "http://127.0.0.1:$service_port/" "${pids[-1]}"
"$nginx" -p "$work/nginx" -c "$work/out/proxy/nginx/phase-1.conf" -g 'daemon off;' > "$work/logs/nginx.log" 2>&1 &
pids+=("$!")
wait_for nginx "http://127.0.0.1:$proxy_port/health" "${pids[-1]}"

echo "5/6 replay the example's HTTP scenarios through nginx"
status=0
"$python" "$example/shop_scenarios.py" "http://127.0.0.1:$proxy_port" | tee "$work/logs/scenarios.txt" || status=1
served=$(grep -c ' HTTP/1\.[01]" [0-9]' "$work/logs/$service.log" || true)

echo "6/6 stop everything"
stop_all
echo "$service answered $served requests through nginx; logs in $work/logs"
exit "$status"
