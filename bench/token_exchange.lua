-- Scenario (c): token exchange. Every thread POSTs /api/token/exchange with its user
-- token (Bearer) for its tenant. The answer's tenant_id AND the tenant_id claim inside the
-- issued JWT must both be the session's tenant.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local kyros = require("common")

setup = kyros.setup
done = kyros.done

local s, req, own_field

function init(args)
  s = kyros.session(args)
  req = wrk.format("POST", "/api/token/exchange", {
    ["Authorization"] = "Bearer " .. s.credential,
    ["Content-Type"] = "application/json",
  }, '{"tenant_id":"' .. s.tenant .. '"}')
  own_field = '"tenant_id":"' .. s.tenant .. '"'
end

function request()
  return req
end

function response(status, _headers, body)
  if not kyros.ok(status, body) then
    return
  end
  if not body:find(own_field, 1, true) then
    kyros.cross(s.label .. " exchange answered for another tenant: " .. body:sub(1, 120))
    return
  end
  local token = body:match('"access_token":"([^"]+)"')
  local payload = token and token:match("^[^.]+%.([^.]+)%.")
  local claims = payload and kyros.base64url_decode(payload)
  if not claims then
    kyros.unverified()
  elseif not claims:find(own_field, 1, true) then
    kyros.cross(s.label .. " got a token for another tenant: " .. claims:sub(1, 200))
  end
end
