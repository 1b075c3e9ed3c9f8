-- wrk script for bench/records-list.sh: GET $RECORDS_PATH (default /api/v1/me/records?limit=20)
-- with a different resident's access token per request (tokens from the file in $TOKENS, one per
-- line), counting non-200 answers as errors. Prints the RESULT line of wrk-common.lua.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk-common.lua")
local tokens = {}
local counter = 0
local path = os.getenv("RECORDS_PATH") or "/api/v1/me/records?limit=20"

function init(args)
  for line in io.lines(os.getenv("TOKENS")) do
    table.insert(tokens, line)
  end
  counter = math.random(#tokens)
end

function request()
  counter = counter % #tokens + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[counter] })
end
