-- wrk script for bench/refresh-token.sh: POST /oauth2/token, grant refresh_token with rotation.
-- Each thread keeps a pool of refresh tokens (its share of the file in $TOKENS, lines "access
-- refresh", one real sign-in per connection); a request takes a token from the pool and its answer
-- puts the new refresh token back, so every connection carries on a chain of rotations. A non-200
-- answer, or one without a refresh_token, is an error and ends that chain (an empty pool then sends
-- a request that fails, counted as an error).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk-common.lua")
local pool = {}
local client = os.getenv("CLIENT_ID") or "bench-app"
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
  for _, line in ipairs(thread_lines(os.getenv("TOKENS"), tonumber(os.getenv("WRK_THREADS") or "2"))) do
    table.insert(pool, line:match("%S+ (%S+)"))
  end
end

-- wrk builds thread 1's first request only to check that it parses, and never sends it: that one
-- must not take a token from the pool, or its chain would end unseen.
local checked = false

function request()
  if id == 1 and not checked then
    checked = true
    return wrk.format("POST", "/oauth2/token", headers, "grant_type=refresh_token")
  end
  local token = table.remove(pool) or "chain-ended"
  return wrk.format("POST", "/oauth2/token", headers,
    "grant_type=refresh_token&client_id=" .. client .. "&refresh_token=" .. urlencode(token))
end

function response(status, headers, body)
  local token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then
    table.insert(pool, token)
  else
    failed(status, body)
  end
end
