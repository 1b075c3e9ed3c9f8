-- wrk script for bench/partner-lookup.sh: GET /api/v1/partner/residents with a different resident
-- per request (NHS number and birth date pairs from the file in $TARGETS, "nhs date" per line), the
-- partner clients' access tokens from the file in $TOKENS (one per line, taken in turn) and a fresh
-- UUID X-Request-ID per request. Non-200 answers count as errors. Prints the RESULT line of
-- wrk-common.lua.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk-common.lua")
local targets = {}
local tokens = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("TARGETS")) do
    local nhs, date = line:match("(%d+) ([%d-]+)")
    table.insert(targets, { nhs, date })
  end
  for line in io.lines(os.getenv("TOKENS")) do
    table.insert(tokens, line)
  end
  math.randomseed(os.time() + id)
  counter = math.random(#targets)
end

function request()
  counter = counter % #targets + 1
  local t = targets[counter]
  return wrk.format("GET", "/api/v1/partner/residents?nhsNumber=" .. t[1] .. "&birthDate=" .. t[2],
    { ["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1], ["X-Request-ID"] = uuid() })
end
