#!/usr/bin/env bash
# A whole deployment on loopback: makes certificates and model shares in a temporary folder, starts
# the dealer, party 1 and party 0 as separate processes, runs one client inference of TEXT (optional
# argument), prints the result and stops the servers. Ports: $DEALER_PORT (7300), $PARTY0_PORT (7400),
# $PARTY1_PORT (7401). Server logs go to the temporary folder and are shown if something fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sf="$here/secformer"
dealer_port="${DEALER_PORT:-7300}"
p0_port="${PARTY0_PORT:-7400}"
p1_port="${PARTY1_PORT:-7401}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "local-deployment: $1" >&2
  for log in "$work"/*.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done
  exit 1
}

"$sf" keygen --out "$work/tls" >/dev/null
"$sf" split-model --out "$work/model" >/dev/null
"$sf" dealer --tls "$work/tls" --listen "127.0.0.1:$dealer_port" >"$work/dealer.log" 2>&1 & pids+=($!)
"$sf" party --id 1 --shares "$work/model/party1.share" --tls "$work/tls" --listen "127.0.0.1:$p1_port" \
  --dealer "127.0.0.1:$dealer_port" >"$work/party1.log" 2>&1 & pids+=($!)
"$sf" party --id 0 --shares "$work/model/party0.share" --tls "$work/tls" --listen "127.0.0.1:$p0_port" \
  --peer "127.0.0.1:$p1_port" --dealer "127.0.0.1:$dealer_port" >"$work/party0.log" 2>&1 & pids+=($!)

# Party 0 listens once the model is loaded.
for _ in $(seq 1 240); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p0_port") 2>/dev/null; then break; fi
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "a server stopped during start-up"; done
  sleep 0.5
done
(exec 3<>"/dev/tcp/127.0.0.1/$p0_port") 2>/dev/null || fail "party 0 did not come up within 120 s"

"$sf" client --tls "$work/tls" --party0 "127.0.0.1:$p0_port" --party1 "127.0.0.1:$p1_port" "$@" \
  || fail "the client failed"
