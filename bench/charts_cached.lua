-- Scenario (a): cached chart requests. Every thread repeats its session's dashboard charts
-- request without filters, so after the first request each answer comes from the chart
-- cache. Every body must contain only the session tenant's rows (common.lua).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local kyros = require("common")

setup = kyros.setup
done = kyros.done

local s, req

function init(args)
  s = kyros.session(args)
  req = wrk.format("GET", "/bff/dashboards/" .. s.dashboard .. "/charts", {
    ["Cookie"] = "__Host-kyros_session=" .. s.credential,
  })
end

function request()
  return req
end

function response(status, _headers, body)
  if kyros.ok(status, body) then
    kyros.check_canaries(s, body)
  end
end
