-- seckill's v1 token of a user: lower-case hex of HMAC-SHA256(secret, decimal user id), through
-- libcrypto with LuaJIT's FFI. Shared by the nginx + Lua reference (to check) and the wrk
-- script (to sign); both are single-threaded, so one output buffer serves every call.
local bit = require "bit"
local ffi = require "ffi"

ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *md, const void *key, int key_len, const unsigned char *data,
                    size_t data_len, unsigned char *out, unsigned int *out_len);
]]
local crypto = ffi.load("libcrypto.so.3")
local digest = ffi.new("unsigned char[32]")
local digest_len = ffi.new("unsigned int[1]")
local hex_buffer = ffi.new("char[64]")
local hex_digits = "0123456789abcdef"

local v1_token = {}

-- Lower-case hex of `size` bytes, written into one buffer: no string per byte.
function v1_token.hex(bytes, size)
  for i = 0, size - 1 do
    local byte = bytes[i]
    hex_buffer[2 * i] = hex_digits:byte(bit.rshift(byte, 4) + 1)
    hex_buffer[2 * i + 1] = hex_digits:byte(bit.band(byte, 15) + 1)
  end
  return ffi.string(hex_buffer, 2 * size)
end

function v1_token.of(secret, user)
  crypto.HMAC(crypto.EVP_sha256(), secret, #secret, user, #user, digest, digest_len)
  return v1_token.hex(digest, 32)
end

return v1_token
