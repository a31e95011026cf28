wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("/tmp/body.json", "rb")
wrk.body = f:read("*a")
f:close()
