-- The Submit every client sends, for wrk: POST to the sms path, a form body (IHUYI_BENCH_BODY,
-- set by bench/run: the sandbox's default sms account with its plain key, which never expires
-- unlike a dynamic password). No response() hook, so wrk stays the lean baseline; bench/run
-- checks with curl that this exact body is accepted (<code>2</code>) before timing it.
-- done() prints one JSON line.
wrk.method = "POST"
wrk.path = "/webservice/sms.php?method=Submit"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("IHUYI_BENCH_BODY") or error("IHUYI_BENCH_BODY is not set")

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"sends":%d,"errors":%d,"seconds":%.3f,"rate":%.1f,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, seconds,
    summary.requests / seconds, latency:percentile(50), latency:percentile(99)))
end
