-- wrk script: POST /v1/score with one 160-character Chinese training-fee scam.
-- The posting is hand-written for this benchmark (not from any data set).
--   wrk -t2 -c32 -d15s --latency -s benchmarks/wrk_score.lua http://127.0.0.1:8000/v1/score
-- benchmarks/bench_api.py starts the server, runs this three times and prints the medians.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "【高薪急聘】居家兼职数据录入员，无需经验，手机就能做，每天两小时，日结300到800元，多劳多得，学生宝妈均可。入职前需缴纳培训费和保证金共1980元，工作满一个月后全额退还。名额仅剩5个，今天报名优先安排岗位。有意者请加微信：hr2580xx，备注兼职，客服一对一指导，正规公司，绝无套路，名额有限，先到先得，赶快来！"}'

done = function(summary, latency, requests)
  -- One machine-readable line for bench_api.py (latencies in microseconds).
  io.write(string.format("BENCH requests=%d seconds=%.3f p50_us=%d p90_us=%d p99_us=%d "
    .. "non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
