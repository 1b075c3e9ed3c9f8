-- wrk script for bench/uptake-report.sh: GET $REPORT_PATH with a MANAGER's access token (the file
-- in $TOKENS, first line), counting non-200 answers as errors. Prints the RESULT line of
-- wrk-common.lua.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk-common.lua")
local token

function init(args)
  for line in io.lines(os.getenv("TOKENS")) do
    token = token or line
  end
end

function request()
  return wrk.format("GET", os.getenv("REPORT_PATH"), { ["Authorization"] = "Bearer " .. token })
end
