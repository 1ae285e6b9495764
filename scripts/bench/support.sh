# shellcheck shell=bash
# Sourced by the benchmarks in scripts/bench: the pieces they share.
#
#   free_port                          prints a free TCP port on 127.0.0.1
#   sign_slack_commands FILE N PREFIX  writes N signed `/help` slash commands, one a line as
#                                      `timestamp<TAB>v0 signature<TAB>form body`, each with its own
#                                      trigger_id (PREFIX-0 … PREFIX-(N-1)), signed now with the secret
#                                      bench-secret (Slack accepts a timestamp for 5 minutes)
#   write_signed_lua LUA FILE PATH CONTENT_TYPE TS_HEADER SIG_HEADER
#                                      a wrk script that POSTs the lines of FILE to PATH; run it with
#                                      `wrk -tT … -s LUA URL -- T`: thread i sends lines i, i+T, i+2T…,
#                                      so no request is sent twice, and a thread that runs out of lines
#                                      makes wrk print `Reused: …` instead of repeating them silently
#   wrk_summary                        reads wrk --latency output, prints `req/s p50 p99`; fails on
#                                      non-2xx answers, socket errors and reused requests
#   ms VALUE                           a wrk duration (812.00us, 3.21ms, 1.02s) in milliseconds
#   wait_ready URL LOG                 waits up to 30 s for URL to answer 2xx, else prints LOG and fails

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

sign_slack_commands() {
  python3 - "$1" "$2" "$3" <<'PY'
import hashlib, hmac, sys, time, urllib.parse
path, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ts = str(int(time.time()))
with open(path, "w") as out:
    for i in range(count):
        body = urllib.parse.urlencode({"command": "/help", "text": "", "user_id": "U1", "channel_id": "C1",
                                       "response_url": "http://127.0.0.1:9/r", "trigger_id": f"{prefix}-{i}"})
        sig = "v0=" + hmac.new(b"bench-secret", f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        out.write(f"{ts}\t{sig}\t{body}\n")
PY
}

write_signed_lua() {
  local lua=$1 file=$2 path=$3 content_type=$4 ts_header=$5 sig_header=$6
  cat > "$lua" <<LUA
local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end
init = function(args)
  local stride = tonumber(args[1] or "1")
  requests = {}
  local n = 0
  for line in io.lines("$file") do
    if n % stride == id - 1 then
      local ts, sig, body = line:match("([^\t]+)\t([^\t]+)\t(.+)")
      requests[#requests + 1] = wrk.format("POST", "$path", {["Content-Type"] = "$content_type",
        ["$ts_header"] = ts, ["$sig_header"] = sig}, body)
    end
    n = n + 1
  end
  index = 0
  reused = 0
end
request = function()
  index = index + 1
  if index > #requests then index = 1; wrapped = true end
  if wrapped then reused = reused + 1 end
  return requests[index]
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("reused") or 0) end
  if total > 0 then print("Reused: " .. total .. " requests were sent twice: the signed lines ran out") end
end
LUA
}

# Any non-2xx answer, socket error or repeated request makes the figures meaningless: stop instead.
wrk_summary() {
  awk '/Non-2xx|Socket errors|Reused:/ {print "error: " $0 > "/dev/stderr"; bad=1}
       /Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
       END {if (bad || rps == "") exit 1; print rps, p50, p99}'
}

ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v} else {sub(/s/,"",v); print v*1000} }'; }

wait_ready() {
  local _
  for _ in $(seq 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done
  echo "$1 did not answer:" >&2
  cat "$2" >&2
  return 1
}
