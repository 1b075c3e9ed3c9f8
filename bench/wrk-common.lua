-- Shared by the bench wrk scripts (loaded with dofile from beside them). Gives each thread an id
-- (the global "id", 1..threads), counts errors in the global "errors" with failed() (by default every answer
-- other than 200; a script may define its own response()), and prints one line for the shell to collect:
--   RESULT count rate p50_ms p99_ms errors
-- where count and rate are wrk's requests, or the scripts' global "completed" when the script sets
-- "count_completed = true" (a sign-in is two requests). Latencies are wrk's, over every request.
errors = 0
completed = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- An error; with BENCH_DEBUG set, the first three of each thread are shown on stderr.
function failed(status, body)
  errors = errors + 1
  if os.getenv("BENCH_DEBUG") and errors <= 3 then
    io.stderr:write(string.format("error %d: %s\n", status, (body or ""):sub(1, 300)))
  end
end

function response(status, headers, body)
  if status ~= 200 then
    failed(status, body)
  end
end

function done(summary, latency, requests)
  local failed, finished = 0, 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("errors") or 0)
    finished = finished + (thread:get("completed") or 0)
  end
  failed = failed + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  local count = count_completed and finished or summary.requests
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\n", count,
    count / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed))
end

-- This thread's share of the lines of a file: line i goes to thread (i mod threads) + 1.
function thread_lines(path, threads_count)
  local mine, i = {}, 0
  for line in io.lines(path) do
    if i % threads_count == id - 1 then
      table.insert(mine, line)
    end
    i = i + 1
  end
  return mine
end

function uuid()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 0xffff), r(0, 0xffff),
    r(0, 0xffff), r(0, 0xfff), r(0x8000, 0xbfff), r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
