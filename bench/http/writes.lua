-- wrk script for bench/http/intake.sh. DUBAN_WRITE=appeal (default): POST /api/appeals with a unique Idempotency-Key
-- and a varied Chinese appeal per request (DUBAN_SEED prefixes the keys, so runs on one database never collide).
-- DUBAN_WRITE=action: POST /api/matters/{id}/feedback (进展反馈, which the lead unit may repeat) on random matters of
-- DUBAN_MATTERS (comma-separated ids, acknowledged). DUBAN_TOKEN: the API token. DUBAN_PREFER=return=minimal: the actions
-- ask for no matter in the answer (204 with the new version as ETag). DUBAN_WRITE=refused: POST /api/appeals with an
-- empty title and no Idempotency-Key, refused (400) before anything is looked up or written: what the HTTP path itself
-- (Kestrel, sign-in by token, the middleware, JSON, the checks, the problem answer) costs, the floor under intake.
local token = os.getenv("DUBAN_TOKEN")
local seed = os.getenv("DUBAN_SEED") or "0"
local mode = os.getenv("DUBAN_WRITE") or "appeal"
local counter = 0
local thread_id = 0
local categories = {"城乡建设", "环境保护", "交通运输", "劳动和社会保障", "教育文体", "卫生计生", "商贸旅游", "民政"}
local places = {"人民路", "解放大道", "建设北路", "中山东路", "文化街", "长江路", "黄河路", "和平里"}
local problems = {"路灯不亮", "井盖缺失", "噪音扰民", "垃圾未清运", "违章停车", "污水外溢", "施工扬尘", "树木倒伏"}
local prefer = os.getenv("DUBAN_PREFER")
local ids = {}
for matter in string.gmatch(os.getenv("DUBAN_MATTERS") or "", "[^,]+") do ids[#ids + 1] = matter end

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  math.randomseed(id * 7919 + 17)
end

local function appeal()
  counter = counter + 1
  local place = places[math.random(#places)]
  local problem = problems[math.random(#problems)]
  local n = math.random(1, 999)
  local body = string.format(
    '{"title":"关于%s%d号附近%s的诉求","content":"%s%d号附近%s已有多日，影响居民出行和生活，请有关部门尽快处理并答复。编号%s-%d-%d。","category":"%s","contactName":"张先生","contactPhone":"1380000%04d","channel":"web"}',
    place, n, problem, place, n, problem, seed, id, counter, categories[math.random(#categories)], math.random(0, 9999))
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", seed, id, counter),
  }
  return wrk.format("POST", "/api/appeals", headers, body)
end

local function feedback()
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  if prefer and prefer ~= "" then
    headers["Prefer"] = prefer
  end
  local body = string.format('{"note":"已现场查看，正在协调施工单位处理，预计三个工作日内完成。第%d次反馈。"}', math.random(1, 1000000))
  return wrk.format("POST", "/api/matters/" .. ids[math.random(#ids)] .. "/feedback", headers, body)
end

local function refused()
  counter = counter + 1
  local body = string.format(
    '{"title":"","content":"人民路%d号附近路灯不亮已有多日，影响居民出行，请有关部门尽快处理。","category":"城乡建设","contactName":"张先生","contactPhone":"13800001234","channel":"web"}',
    counter)
  return wrk.format("POST", "/api/appeals", { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

function request()
  if mode == "action" then
    return feedback()
  elseif mode == "refused" then
    return refused()
  end
  return appeal()
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d errors_status=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
