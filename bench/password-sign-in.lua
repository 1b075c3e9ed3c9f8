-- wrk script for bench/password-sign-in.sh: password sign-ins through the real form, CSRF
-- included. A sign-in is two requests: GET /oauth2/authorize?$AUTHORIZE_QUERY (the sign-in page:
-- its csrf_token field and its cookie), then POST /oauth2/authorize with the same parameters, the
-- token, the cookie, an Origin header, a resident's email and the password; it is complete when
-- the answer is a 302 to the client with a code. The two halves need not use the same connection
-- (the cookie travels in the header), so each thread keeps a queue of filled forms: a connection
-- sends a queued POST when there is one, else a GET. Residents bench-1..$RESIDENTS@example.org in
-- turn. Counts completed sign-ins ("completed"); wrk's latencies mix both requests.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk-common.lua")
count_completed = true
local query = os.getenv("AUTHORIZE_QUERY")
local password = urlencode(os.getenv("PASSWORD"))
local residents = tonumber(os.getenv("RESIDENTS") or "1000")
local origin = os.getenv("ORIGIN")
local forms = {}
local resident = 0

function init(args)
  resident = id * 7919 % residents
end

function request()
  local form = table.remove(forms, 1)
  if form then
    return wrk.format("POST", "/oauth2/authorize", { ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = form.cookie, ["Origin"] = origin }, form.body)
  end
  return wrk.format("GET", "/oauth2/authorize?" .. query)
end

function response(status, headers, body)
  if status == 200 then
    local csrf = body:match('name="csrf_token" value="([^"]+)"')
    local cookie = (headers["Set-Cookie"] or headers["set-cookie"] or ""):match("^([^;]+)")
    -- A form answered 200 is a refused sign-in shown again with its error summary.
    if csrf and cookie and not body:find("error%-summary") then
      resident = resident % residents + 1
      table.insert(forms, { cookie = cookie, body = query .. "&csrf_token=" .. urlencode(csrf)
        .. "&email=bench-" .. resident .. "%40example.org&password=" .. password })
    else
      failed(status, body)
    end
  elseif status == 302 and (headers["Location"] or headers["location"] or ""):find("[?&]code=") then
    completed = completed + 1
  else
    failed(status, body)
  end
end
