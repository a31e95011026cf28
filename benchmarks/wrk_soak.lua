-- wrk script for benchmarks/bench_soak.py: a steady mix at about a fixed rate.
-- Each connection waits DELAY_MS between its requests (set by bench_soak.py through the
-- environment: connections / rate). 19 in 20 requests are POST /v1/score with one of five
-- hand-written postings (short to long, English and Chinese; not data); 1 in 20 is a
-- moderator decision, POST /v1/feedback.
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "40")
local bodies = {
  '{"text": "Data entry clerk, full time, Manchester. Excel skills needed."}',
  '{"text": "【高薪急聘】居家兼职数据录入员，入职前需缴纳培训费和保证金共1980元，加微信hr2580xx。"}',
  '{"title": "Registered nurse", "company": "St Mary\'s Hospital", "description": "'
    .. string.rep("Join our cardiology ward and care for patients after surgery. ", 15)
    .. '", "salary": "32,000-38,000 GBP"}',
  '{"text": "' .. string.rep("Pay a $50 starter kit fee by gift card, then earn $900 a week from home. ", 10) .. '"}',
  '{"text": "' .. string.rep("招聘仓库管理员，五险一金，双休，工作地点上海浦东。负责出入库登记和盘点。", 20) .. '"}',
}
local headers = {["Content-Type"] = "application/json"}
local n = 0

function delay()
  return delay_ms
end

function request()
  n = n + 1
  local body = bodies[(n % #bodies) + 1]
  if n % 20 == 0 then
    local label = (n % 40 == 0) and "scam" or "legit"
    return wrk.format("POST", "/v1/feedback", headers,
      '{"posting": ' .. body .. ', "label": "' .. label .. '"}')
  end
  return wrk.format("POST", "/v1/score", headers, body)
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d "
    .. "non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
