-- wrk script: POSTs one JSON file as application/json on every request.
-- Usage: wrk ... -s bench/post-json.lua URL -- path/to/body.json
-- done() prints one machine-readable RESULT line that bench/ingest-wrk.sh parses.

function init(args)
  local path = args[1] or error("post-json.lua: give the JSON file after --")
  local f = assert(io.open(path, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f"
      .. " err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
