-- GenIUS bench: wrk script (see bench/load.py).
-- Argument: a requests file (a line per request: method, path, body, then header name/value
-- pairs, separated by tabs), sent in turn, over and over, until the time is up.
-- done() prints one line "BENCH-JSON {...}" with the counts and percentiles (microseconds).
-- (Requests to send once each, the support POSTs, go through bench/load.py instead: wrk always
-- runs for the whole duration, so it could not say when such a list ran out.)

local requests = {}
local index = 0

function init(args)
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
    index = 1
  end
  return requests[index]
end

function done(summary, latency, _requests)
  local function us(p) return math.floor(latency:percentile(p) + 0.5) end
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, us(50), us(95), us(99), summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
