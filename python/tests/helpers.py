"""Helpers of the tests: changing a proof byte by byte."""


def flip(data: bytes, at: int) -> bytes:
    """``data`` with the byte at ``at`` changed."""
    b = bytearray(data)
    b[at] ^= 0x5A
    return bytes(b)


def tamper_outcomes(verify, proof: bytes, positions):
    """Verifies ``proof`` with each byte of ``positions`` changed: each must be refused, as a file
    that does not decode (ZkinferError) or as an invalid proof. Returns how many reached the
    verifier and were found invalid."""
    import zkinfer

    invalid = 0
    for at in positions:
        try:
            result = verify(flip(proof, at))
        except zkinfer.ZkinferError as e:
            assert e.kind in ("malformed_file", "bad_input"), (at, e.kind, str(e))
            continue
        assert not result.valid, f"a proof with byte {at} changed verified"
        assert result.error_kind in ("invalid_proof", "wrong_key"), result
        invalid += 1
    return invalid


def spread(n: int, count: int):
    """``count`` byte positions spread over ``n`` bytes, past the 10-byte header."""
    return sorted({10 + (i * (n - 11)) // (count - 1) for i in range(count)})

