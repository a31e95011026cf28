-- wrk script: POST /v1/score, each request a different posting text (issue 28).
-- Bodies come from the file named by BENCH_BODIES (benchmarks/bench_api.py writes it): one
-- JSON posting a line, real postings or the hand-written seed scam, each holding the mark
-- @@REF@@ inside a text field. Every request replaces the mark with its own reference
-- (thread number and request count), so no two requests carry the same text and no cache of
-- responses, verdicts or readings can serve the load.
--   BENCH_BODIES=bodies.jsonl wrk -t2 -c32 -d15s --latency -s benchmarks/wrk_rotate.lua URL
local parts = {}
local headers = {["Content-Type"] = "application/json"}
local count = 0
local threads = 0
-- thread_no: a global each thread's state gets from setup() (thread:set).

function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

function init(args)
  local path = os.getenv("BENCH_BODIES")
  for line in io.lines(path) do
    local at = string.find(line, "@@REF@@", 1, true)
    if at then
      parts[#parts + 1] = {string.sub(line, 1, at - 1), string.sub(line, at + 7)}
    end
  end
  local key = os.getenv("BENCH_KEY")
  if key and key ~= "" then
    headers["Authorization"] = "Bearer " .. key
  end
  if #parts == 0 then
    error("no bodies with @@REF@@ in " .. tostring(path))
  end
  -- Threads start at different bodies, so they do not send the same posting at once.
  count = (thread_no or 0) * 7919
end

function request()
  count = count + 1
  local body = parts[(count % #parts) + 1]
  local ref = string.format("T%d-%d", thread_no or 0, count)
  return wrk.format("POST", "/v1/score", headers, body[1] .. ref .. body[2])
end

done = function(summary, latency, requests)
  -- One machine-readable line for bench_api.py (latencies in microseconds).
  io.write(string.format("BENCH requests=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d "
    .. "non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
