-- Scenario (d): GET /bff/me. The session's user and active tenant must come back, never
-- another session's.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local kyros = require("common")

setup = kyros.setup
done = kyros.done

local s, req, own_tenant, own_email

function init(args)
  s = kyros.session(args)
  req = wrk.format("GET", "/bff/me", { ["Cookie"] = "__Host-kyros_session=" .. s.credential })
  own_tenant = '"active_tenant":{"id":"' .. s.tenant .. '"'
  own_email = '"email":"' .. s.email .. '"'
end

function request()
  return req
end

function response(status, _headers, body)
  if not kyros.ok(status, body) then
    return
  end
  if not body:find(own_tenant, 1, true) then
    kyros.cross(s.label .. " /bff/me has another active tenant: " .. body:sub(1, 200))
  elseif not body:find(own_email, 1, true) then
    kyros.cross(s.label .. " /bff/me answered for another user: " .. body:sub(1, 200))
  end
end
