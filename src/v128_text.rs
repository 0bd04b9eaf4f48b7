//! The text form of v128 values on the command line and in tool calls:
//! `0x` and up to 32 hex digits (the 128-bit number, lane 0 in the lowest
//! bits, as wasmtime prints it), or a shape and its lanes, lane 0 first:
//! `i32x4:1,2,3,-4`, `f64x2:0.5,-1e300`, `i8x16:...`. Results print in the
//! hex form, which is exact for every value.

/// Parses a v128 in either form.
pub fn parse(s: &str) -> Result<u128, String> {
    let bad = |why: &str| format!("`{s}` is not a v128 ({why}; write 0x and 32 hex digits, or e.g. i32x4:1,2,3,4)");
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if hex.is_empty() || hex.len() > 32 {
            return Err(bad("1 to 32 hex digits"));
        }
        return u128::from_str_radix(hex, 16).map_err(|_| bad("not hex"));
    }
    let (shape, lanes) = s.split_once(':').ok_or_else(|| bad("no shape"))?;
    let lanes: Vec<&str> = lanes.split(',').map(str::trim).collect();
    let (count, bits) = match shape {
        "i8x16" => (16, 8),
        "i16x8" => (8, 16),
        "i32x4" | "f32x4" => (4, 32),
        "i64x2" | "f64x2" => (2, 64),
        _ => return Err(bad("unknown shape")),
    };
    if lanes.len() != count {
        return Err(bad(&format!("{shape} takes {count} lanes, {} given", lanes.len())));
    }
    let mut v = 0u128;
    for (i, lane) in lanes.iter().enumerate() {
        let bits_of = match shape {
            "f32x4" => lane.parse::<f32>().map(|f| f.to_bits() as u128).ok(),
            "f64x2" => lane.parse::<f64>().map(|f| f.to_bits() as u128).ok(),
            // Signed or unsigned, cut to the lane's width.
            _ => lane.parse::<i128>().ok().filter(|x| *x >= -(1i128 << (bits - 1)) && *x < (1i128 << bits)).map(|x| x as u128),
        };
        let lane_bits = bits_of.ok_or_else(|| bad(&format!("lane {i} `{lane}` does not fit {shape}")))?;
        v |= (lane_bits & (u128::MAX >> (128 - bits))) << (bits * i);
    }
    Ok(v)
}

/// The hex form of a v128.
pub fn format(v: u128) -> String {
    format!("0x{v:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_agree() {
        assert_eq!(parse("i32x4:1,2,3,-1"), Ok(0xffffffff_00000003_00000002_00000001));
        assert_eq!(parse("0xffffffff000000030000000200000001"), parse("i32x4:1,2,3,4294967295"));
        assert_eq!(parse("i8x16:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,255"), Ok(0xff0e0d0c0b0a09080706050403020100));
        assert_eq!(parse("f32x4:1,0,0,-0").map(format), Ok("0x8000000000000000000000003f800000".to_string()));
        assert_eq!(parse("0x1"), Ok(1));
    }

    #[test]
    fn bad_input_says_what_to_write() {
        for s in ["", "0x", "i32x4:1,2,3", "i8x16:256,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", "u32x4:1,2,3,4", "0x1234567890123456789012345678901234"] {
            let e = parse(s).unwrap_err();
            assert!(e.contains("i32x4:1,2,3,4"), "{s}: {e}");
        }
    }
}
