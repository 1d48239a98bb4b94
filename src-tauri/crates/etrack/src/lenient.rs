//! Lenient field decoding: providers send numbers as strings, `null`, or leave fields out.
//!
//! Each function is a serde `deserialize_with` that never fails on a merely odd value: a value
//! that cannot be read as the wanted type becomes the "absent" default (`-1` for the spec's
//! "no such status" integers is up to the caller via `#[serde(default = ...)]`).

use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn value_to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

/// Reads an integer from a number, a numeric string, or a float (truncated); else `None`.
pub fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f as i64)
            })
        }
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// An `i64` that may arrive as a string or null; unreadable values give 0.
pub fn i64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(value_to_i64(&Value::deserialize(d)?).unwrap_or(0))
}

/// An `i64` status field where "no such status" is -1; unreadable values give -1.
pub fn i64_or_minus_one<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(value_to_i64(&Value::deserialize(d)?).unwrap_or(-1))
}

/// An `f64` that may arrive as a string or null; unreadable values give 0.0.
pub fn f64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?).unwrap_or(0.0))
}

/// An `f64` where "no such value" is -1 (a fraction is kept as sent); unreadable values give -1.
pub fn f64_or_minus_one<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?).unwrap_or(-1.0))
}

/// An `f64` that may arrive as a string; null, missing or unreadable is `None` (no data), which
/// is not the same as 0.
pub fn f64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(value_to_f64(&Value::deserialize(d)?))
}

/// Writes a whole `f64` as an integer (`51654`, as the spec shows it), a fraction as it is.
pub fn whole_as_int<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// The "minus one" default for `f64` fields.
pub fn minus_one_f64() -> f64 {
    -1.0
}

/// A string that may arrive as a number or null; null gives "".
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    })
}

/// The "minus one" default for serde's `default = ...`.
pub fn minus_one() -> i64 {
    -1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_from_strings_floats_and_junk() {
        assert_eq!(value_to_i64(&serde_json::json!("42")), Some(42));
        assert_eq!(value_to_i64(&serde_json::json!(" 7 ")), Some(7));
        assert_eq!(value_to_i64(&serde_json::json!(3.9)), Some(3));
        assert_eq!(value_to_i64(&serde_json::json!("x")), None);
        assert_eq!(value_to_i64(&serde_json::json!(null)), None);
        assert_eq!(value_to_i64(&serde_json::json!([1])), None);
    }

    #[test]
    fn floats_reject_non_finite() {
        assert_eq!(value_to_f64(&serde_json::json!("1e999")), None);
        assert_eq!(value_to_f64(&serde_json::json!("113.9")), Some(113.9));
    }
}
