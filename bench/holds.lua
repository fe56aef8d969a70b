-- bench/holds.lua: REST seat holds driven by wrk, the load generator /healthz and nginx are
-- measured with (bench/inventory.sh). Each hold is for one random seat of one of 20 trips, and
-- the next request of its thread releases a hold answered before, so seats keep coming free:
-- holds, releases and refusals (409, the seat held by another connection) mix as in
-- bench/inventory_rest_bench.cc's throughput run.
--
-- A guest may keep only a few holds at once (inventory.max_holds_per_holder), so holds take
-- turns among the thread's guests, and only the guest that made a hold may release it. wrk
-- does not say which request an answer is for, so no two holds of a thread in flight name the
-- same seat, and the seat in the answer (`seats` or `unavailable`) says whose hold it was.
--
--   wrk -t2 -c32 -d10s -s bench/holds.lua URL -- DIR THREADS   (DIR from `--prepare`)
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("index", count)
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

function init(args)
  local dir, thread_count = args[1], tonumber(args[2])
  trips = lines(dir .. "/trips")
  guests = {}
  local tokens = lines(dir .. "/tokens")
  for i = index, #tokens, thread_count do guests[#guests + 1] = "Bearer " .. tokens[i] end
  math.randomseed(index * 7919)
  turn = 0
  in_flight = {}  -- seat -> the guest whose hold for it awaits an answer
  releases = {}   -- holds answered, each with its guest, to release
  holds, released, refused, failed = 0, 0, 0, 0
end

function request()
  -- Before the run wrk asks the first thread for one request, to check it, and never sends it.
  if index == 1 and not checked then
    checked = true
    return wrk.format("GET", "/readyz")
  end
  local n = #releases
  if n > 0 then
    local held = releases[n]
    releases[n] = nil
    return wrk.format("DELETE", "/v1/inventory/lock/" .. held.id, { ["Authorization"] = held.by })
  end
  local seat
  local tries = 0
  repeat
    seat = string.char(64 + math.random(10)) .. math.random(4)
    tries = tries + 1
    -- An answer naming no seat (a failure, counted) leaves its seat marked: start afresh.
    if tries > 400 then in_flight, tries = {}, 0 end
  until in_flight[seat] == nil
  turn = turn % #guests + 1
  in_flight[seat] = guests[turn]
  local trip = trips[math.random(#trips)]
  return wrk.format("POST", "/v1/inventory/lock",
                    { ["Content-Type"] = "application/json", ["Authorization"] = guests[turn] },
                    '{"trip_id":"' .. trip .. '","seats":["' .. seat .. '"]}')
end

function response(status, headers, body)
  if status == 204 then
    released = released + 1
    return
  end
  local seat = body:match('"seats"%s*:%s*%[%s*"([^"]+)"') or
               body:match('"unavailable"%s*:%s*%[%s*"([^"]+)"')
  local by = seat and in_flight[seat]
  if seat then in_flight[seat] = nil end
  if status == 201 and by then
    holds = holds + 1
    releases[#releases + 1] = { id = body:match('"hold_id"%s*:%s*"([^"]+)"'), by = by }
  elseif status == 409 then
    refused = refused + 1
  else
    failed = failed + 1
    if first_failure == nil then first_failure = status .. " " .. body:sub(1, 200) end
  end
end

local function report(name, value, unit)
  io.write(string.format("%-40s %12.1f %s\n", name, value, unit))
end

function done(summary, latency, requests)
  local total = { holds = 0, released = 0, refused = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(total) do total[name] = total[name] + thread:get(name) end
    local failure = thread:get("first_failure")
    if failure then io.stderr:write("bench/holds.lua: first failure: ", failure, "\n") end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  report("rest.wrk_holds_per_second", total.holds / seconds, "holds/s")
  report("rest.wrk_requests_per_second", summary.requests / seconds, "req/s")
  report("rest.wrk_request_p50", latency:percentile(50) / 1000, "ms")
  report("rest.wrk_request_p99", latency:percentile(99) / 1000, "ms")
  report("rest.wrk_refused_409", total.refused, "requests")
  report("rest.wrk_errors", total.failed + e.connect + e.read + e.write + e.timeout, "requests")
end
