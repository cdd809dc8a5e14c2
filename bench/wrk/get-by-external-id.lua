-- GET /api/partners?filter[external_id]=<a real external id>, picked at random per request.
-- ids.lua (written by bench/api.sh) defines `ids`, a list of external ids from the data set.
local token = os.getenv("NODIREF_TOKEN")
dofile(os.getenv("NODIREF_IDS"))

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/partners?filter[external_id]=" .. id, { ["Authorization"] = "Bearer " .. token })
end
