-- GET /v1/<code>/hit for a code picked at random per request.
-- codes.lua (written by bench/tracking.sh) defines `codes`, a list of referral codes from the data set.
dofile(os.getenv("NODIREF_CODES"))

request = function()
  return wrk.format("GET", "/v1/" .. codes[math.random(#codes)] .. "/hit")
end
