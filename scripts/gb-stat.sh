#!/usr/bin/env bash
# The gateway under wrk, the way ../shared/peers/litellm_proxy_bench.sh measures LiteLLM's proxy: the same fixed
# upstream (http_server.py), the same request and wrk settings. Requests carry a virtual key (made through
# /key/generate), so every request is authenticated against the key store and its spend is logged. Run both in one
# session and compare.
#   bash scripts/gateway-bench.sh            (needs wrk and python3; builds `catena` in release mode first)
# Env: DUR (default 10s), CONNS (default 16), UP_PORT (18080), GATEWAY_PORT (18082), PEERS (../shared/peers).
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS:-../shared/peers}
UP=${UP_PORT:-18080}; GW=${GATEWAY_PORT:-18082}
DUR=${DUR:-10s}; CONNS=${CONNS:-16}
master=sk-gatewaybench-7f3a9c2e5b8d4f1a
swift build -c release --product catena >&2
work=$(mktemp -d)
cat > "$work/gateway.yaml" <<YAML
model_list:
  - model_name: fake
    litellm_params:
      model: openai/fake
      api_base: http://127.0.0.1:$UP/v1
      api_key: sk-fake
      input_cost_per_token: 0.0000005
      output_cost_per_token: 0.0000015
general_settings:
  master_key: $master
  database_path: $work/keys.sqlite
YAML
python3 "$peers/http_server.py" "$UP" > "$work/upstream.log" 2>&1 & up=$!
.build/release/catena serve --config "$work/gateway.yaml" --port "$GW" > "$work/gateway.log" 2>&1 & gw=$!
trap 'kill $up $gw 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$GW/health" && break
  sleep 0.2
done
key=$(curl -s -X POST -H "Authorization: Bearer $master" -d '{"key_alias":"bench"}' "http://127.0.0.1:$GW/key/generate" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"fake","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA
(sleep 1; perf stat -e task-clock,context-switches,cpu-migrations -p $gw -o /tmp/prof/stat.txt -- sleep 5) & pr=$!
echo "== through the gateway, $CONNS connections"; wrk -t1 -c"$CONNS" -d"$DUR" --latency -s "$work/post.lua" "http://127.0.0.1:$GW/v1/chat/completions"
wait $pr
echo "== gateway peak RSS (KiB): $(grep VmHWM /proc/$gw/status 2>/dev/null | awk '{print $2}')"
echo "== the key's spend log: $(curl -s -H "Authorization: Bearer $master" "http://127.0.0.1:$GW/key/info?key=$key" \
  | python3 -c 'import json, sys; info = json.load(sys.stdin)["info"]; print(info["spend"], "USD")')"
