-- wrk script for bench/partner-lookup.sh: GET /api/v1/partner/residents with a different resident
-- per request (NHS number and birth date pairs from the file in $TARGETS, "nhs date" per line), the
-- partner clients' access tokens from the file in $TOKENS (one per line, taken in turn) and a fresh
-- UUID X-Request-ID per request. Non-200 answers
-- count as errors. Prints "RESULT requests rps p50_ms p99_ms errors" for the shell to collect.
local targets = {}
local counter = 0
local errors = 0
local threads = {}
local tokens = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("TARGETS")) do
    local nhs, date = line:match("(%d+) ([%d-]+)")
    table.insert(targets, { nhs, date })
  end
  for line in io.lines(os.getenv("TOKENS")) do
    table.insert(tokens, line)
  end
  math.randomseed(os.time() + #threads)
  counter = math.random(#targets)
end

local function uuid()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 0xffff), r(0, 0xffff),
    r(0, 0xffff), r(0, 0xfff), r(0x8000, 0xbfff), r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

function request()
  counter = counter % #targets + 1
  local t = targets[counter]
  return wrk.format("GET", "/api/v1/partner/residents?nhsNumber=" .. t[1] .. "&birthDate=" .. t[2],
    { ["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1], ["X-Request-ID"] = uuid() })
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("errors") or 0)
  end
  failed = failed + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed))
end
