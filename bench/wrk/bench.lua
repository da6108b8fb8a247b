-- GenIUS bench: wrk script (see bench/load.py).
-- Arguments: a requests file (a line per request: method, path, body, then header name/value
-- pairs, separated by tabs) and "cycle" (repeat the list) or "once" (send each request once,
-- then stop: the support POSTs, one per (person, idea) pair).
-- done() prints one line "BENCH-JSON {...}" with the counts and percentiles (microseconds).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local requests = {}
local mode = "cycle"
local index = 0
exhausted = false

function init(args)
  mode = args[2] or "cycle"
  for line in io.lines(args[1]) do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      table.insert(fields, field)
    end
    local headers = {}
    for i = 4, #fields - 1, 2 do
      headers[fields[i]] = fields[i + 1]
    end
    local body = fields[3]
    if body == "" then body = nil end
    table.insert(requests, wrk.format(fields[1], fields[2], headers, body))
  end
end

function request()
  index = index + 1
  if index > #requests then
    if mode == "once" then
      exhausted = true
      wrk.thread:stop()
      return requests[#requests]
    end
    index = 1
  end
  return requests[index]
end

function done(summary, latency, _requests)
  local used_up = false
  for _, thread in ipairs(threads) do
    if thread:get("exhausted") then used_up = true end
  end
  local function us(p) return math.floor(latency:percentile(p) + 0.5) end
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "exhausted": %s}\n',
    summary.requests, summary.duration, us(50), us(95), us(99), summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, tostring(used_up)))
end
