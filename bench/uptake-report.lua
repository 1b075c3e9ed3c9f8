-- wrk script for bench/uptake-report.sh: GET $REPORT_PATH with a MANAGER's access token (the file
-- in $TOKENS, first line), counting non-200 answers as errors. Prints one line
-- "RESULT requests rps p50_ms p99_ms errors" for the shell to collect.
local token
local errors = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("TOKENS")) do
    token = token or line
  end
end

function request()
  return wrk.format("GET", os.getenv("REPORT_PATH"), { ["Authorization"] = "Bearer " .. token })
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
