-- bench/race.lua: many clients racing for the 40 seats of one trip, driven by wrk
-- (bench/inventory.sh). Every racing client is a guest of its own, with its own token, and
-- sends one hold for a random seat; the connections share the clients between them. Once its
-- thread's clients have all sent, a connection waits (wrk's delay) instead of sending again,
-- and the thread stops on the last answer: every hold sent is answered and read. Winners are
-- read from the 201 answers: a seat won twice is a double sale.
--
-- wrk runs for the whole of its -d whatever the threads do, so the rate is not reported here.
--
--   wrk -t2 -c200 -d15s -s bench/race.lua URL -- DIR THREADS    (DIR from `--prepare`)
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("index", count)
  table.insert(threads, thread)
end

function init(args)
  local dir, thread_count = args[1], tonumber(args[2])
  local all = {}
  for line in io.lines(dir .. "/race_tokens") do
    if #line > 0 then all[#all + 1] = line end
  end
  for line in io.lines(dir .. "/race_trip") do
    if #line > 0 then trip = line end
  end
  mine = {}
  for i = index, #all, thread_count do mine[#mine + 1] = all[i] end
  math.randomseed(index * 104729)
  sent, answered, refused, failed = 0, 0, 0, 0
  won = {}
end

function delay()
  if sent >= #mine then return 60000 end
  return 0
end

function request()
  -- Before the run wrk asks the first thread for one request, to check it, and never sends it.
  if index == 1 and not checked then
    checked = true
    return wrk.format("GET", "/readyz")
  end
  -- Not sent (see delay()), except by a connection that connects after its thread's clients
  -- have all sent (its SYN dropped by a full accept queue and sent again a second later):
  -- response() ignores the answer.
  if sent >= #mine then return wrk.format("GET", "/healthz") end
  sent = sent + 1
  local seat = string.char(64 + math.random(10)) .. math.random(4)
  return wrk.format("POST", "/v1/inventory/lock",
                    { ["Content-Type"] = "application/json",
                      ["Authorization"] = "Bearer " .. mine[sent] },
                    '{"trip_id":"' .. trip .. '","seats":["' .. seat .. '"]}')
end

function response(status, headers, body)
  if status == 200 then return end  -- a late connection's /healthz (see request())
  answered = answered + 1
  if status == 201 then
    local seat = body:match('"seats"%s*:%s*%[%s*"([^"]+)"')
    if seat then won[seat] = (won[seat] or 0) + 1 else failed = failed + 1 end
  elseif status == 409 then
    refused = refused + 1
  else
    failed = failed + 1
    if first_failure == nil then first_failure = status .. " " .. body:sub(1, 200) end
  end
  if answered >= #mine then wrk.thread:stop() end
end

local function report(name, value, unit)
  io.write(string.format("%-40s %12.1f %s\n", name, value, unit))
end

function done(summary, latency, requests)
  local wins, clients, answers, refusals, failures = {}, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    clients = clients + #thread:get("mine")
    answers = answers + thread:get("answered")
    refusals = refusals + thread:get("refused")
    failures = failures + thread:get("failed")
    for seat, times in pairs(thread:get("won")) do wins[seat] = (wins[seat] or 0) + times end
    local failure = thread:get("first_failure")
    if failure then io.stderr:write("bench/race.lua: first failure: ", failure, "\n") end
  end
  local seats, double_sales = 0, 0
  for _, times in pairs(wins) do
    seats = seats + 1
    if times > 1 then double_sales = double_sales + times - 1 end
  end
  local e = summary.errors
  report("race.wrk_clients", clients, "clients")
  report("race.wrk_answered", answers, "requests")
  report("race.wrk_requests", summary.requests, "requests")
  report("race.wrk_seats_won", seats, "seats")
  report("race.wrk_double_sales", double_sales, "seats")
  report("race.wrk_refused_409", refusals, "requests")
  report("race.wrk_errors", failures + e.connect + e.read + e.write + e.timeout, "requests")
  report("race.wrk_p50", latency:percentile(50) / 1000, "ms")
  report("race.wrk_p99", latency:percentile(99) / 1000, "ms")
end
