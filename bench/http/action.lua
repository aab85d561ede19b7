-- wrk script: POST /api/matters/{id}/feedback (进展反馈, which the lead unit may repeat) on random matters.
-- Environment: DUBAN_TOKEN (the lead unit's handler token), DUBAN_MATTERS (comma-separated matter ids, acknowledged).
local token = os.getenv("DUBAN_TOKEN")
local ids = {}
for id in string.gmatch(os.getenv("DUBAN_MATTERS") or "", "[^,]+") do ids[#ids + 1] = id end
local thread_id = 0

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  math.randomseed(id * 104729 + 3)
end

function request()
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  local body = string.format('{"note":"已现场查看，正在协调施工单位处理，预计三个工作日内完成。第%d次反馈。"}', math.random(1, 1000000))
  return wrk.format("POST", "/api/matters/" .. ids[math.random(#ids)] .. "/feedback", headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d errors_status=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
