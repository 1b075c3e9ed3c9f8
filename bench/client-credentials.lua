-- wrk script for bench/client-credentials.sh: POST /oauth2/token, grant client_credentials, each
-- request with its own private_key_jwt assertion (unique jti), read from the file in $ASSERTIONS
-- (ready form bodies, one a line, made by bench/bench.mjs; this thread takes every n-th line).
-- Non-200 answers are errors; an assertion used twice (the file ran out) would be refused as a
-- replay, so the script counts that as an error too and says so.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk-common.lua")
local bodies
local next_body = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
  bodies = thread_lines(os.getenv("ASSERTIONS"), tonumber(os.getenv("WRK_THREADS") or "2"))
end

function request()
  next_body = next_body + 1
  if next_body > #bodies then
    if next_body == #bodies + 1 then
      io.stderr:write("client-credentials.lua: assertions ran out; raise BENCH_GRANT_RATE_CAP\n")
    end
    next_body = 1
  end
  return wrk.format("POST", "/oauth2/token", headers, bodies[next_body])
end
