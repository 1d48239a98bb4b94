//! The reply envelope `{code, message, record}` and lenient decoding of `record`.

use crate::codes;
use crate::error::{Error, Result};
use crate::lenient;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A decoded reply with code 0 or a provider error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Envelope {
    pub code: i64,
    pub message: String,
    /// `Value::Null` when the field was missing.
    pub record: Value,
}

impl Envelope {
    /// Reads the body of an HTTP 200 reply. Anything that is not a JSON object with a readable
    /// `code` is a decode error.
    pub fn parse(body: &[u8]) -> Result<Self> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Error::Decode(format!("{e} (reply starts with {:?})", preview(body))))?;
        let Value::Object(mut map) = value else {
            return Err(Error::Decode(format!(
                "expected a JSON object, got {:?}",
                preview(body)
            )));
        };
        let code = map
            .get("code")
            .and_then(lenient::value_to_i64)
            .ok_or_else(|| Error::Decode("the reply has no readable \"code\"".to_owned()))?;
        let message = match map.get("message") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let record = map.remove("record").unwrap_or(Value::Null);
        Ok(Self {
            code,
            message,
            record,
        })
    }

    /// The record of a successful reply, or the provider's error.
    pub fn into_result(self) -> Result<Value> {
        if self.code == 0 {
            Ok(self.record)
        } else {
            Err(self.into_error())
        }
    }

    /// The provider's error for this reply's code.
    pub fn into_error(self) -> Error {
        Error::Api {
            code: self.code,
            message: self.message,
        }
    }
}

fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        s.push('…');
    }
    s
}

/// Whether a record means "nothing": missing, null or an empty (or blank) string.
pub(crate) fn is_empty_record(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A list record: an array, a single object (wrapped), or empty.
pub(crate) fn decode_list<T: DeserializeOwned>(v: Value, what: &str) -> Result<Vec<T>> {
    if is_empty_record(&v) {
        return Ok(Vec::new());
    }
    let items = match v {
        Value::Array(items) => items,
        obj @ Value::Object(_) => vec![obj],
        other => {
            return Err(Error::Decode(format!(
                "{what}: expected a list, got {}",
                kind(&other)
            )))
        }
    };
    items
        .into_iter()
        .map(|item| serde_json::from_value(item).map_err(|e| Error::Decode(format!("{what}: {e}"))))
        .collect()
}

/// An object record.
pub(crate) fn decode_object<T: DeserializeOwned>(v: Value, what: &str) -> Result<T> {
    match v {
        obj @ Value::Object(_) => {
            serde_json::from_value(obj).map_err(|e| Error::Decode(format!("{what}: {e}")))
        }
        // Some providers wrap a single object in a list.
        Value::Array(mut items) if items.len() == 1 => decode_object(items.remove(0), what),
        other => Err(Error::Decode(format!(
            "{what}: expected an object, got {}",
            kind(&other)
        ))),
    }
}

/// The `record` of the history endpoints: `a,b,c;a,b,c` as a string (or, leniently, a list of
/// such groups). Empty groups (a trailing `;`) are skipped.
pub(crate) fn history_groups(v: &Value, what: &str) -> Result<Vec<String>> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s
            .split(';')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect()),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.trim().to_owned()),
                other => Err(Error::Decode(format!(
                    "{what}: expected text groups, got {}",
                    kind(other)
                ))),
            })
            .filter(|g| !matches!(g, Ok(s) if s.is_empty()))
            .collect(),
        other => Err(Error::Decode(format!(
            "{what}: expected text, got {}",
            kind(other)
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Whether the provider answered "no data" (treated as an empty result by history reads).
pub(crate) fn is_no_data(e: &Error) -> bool {
    e.api_code() == Some(codes::NO_DATA)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{Device, Track};

    #[test]
    fn envelope_reads_string_codes_and_missing_record() {
        let e = Envelope::parse(br#"{"code":"0"}"#).unwrap();
        assert_eq!(e.code, 0);
        assert_eq!(e.record, Value::Null);
        let e = Envelope::parse(br#"{"code":20001,"message":null}"#).unwrap();
        assert_eq!(
            e.into_result().unwrap_err().to_string(),
            "20001 Account or password error"
        );
    }

    #[test]
    fn malformed_replies_are_decode_errors() {
        for body in [
            &b"<html>oops</html>"[..],
            b"",
            b"[1,2]",
            br#"{"message":"no code"}"#,
            br#"{"code":"zero"}"#,
            b"{\"code\":0,",
        ] {
            assert!(
                matches!(Envelope::parse(body), Err(Error::Decode(_))),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn lists_accept_empty_string_null_single_object_and_unknown_fields() {
        let v: Vec<Device> = decode_list(Value::String(String::new()), "d").unwrap();
        assert!(v.is_empty());
        let v: Vec<Device> = decode_list(Value::Null, "d").unwrap();
        assert!(v.is_empty());
        let v: Vec<Track> = decode_list(
            serde_json::json!({"imei": "358899051025339", "speed": "5", "new": [1]}),
            "t",
        )
        .unwrap();
        assert_eq!(v[0].speed, 5.0);
        let bad: Result<Vec<Device>> = decode_list(serde_json::json!(7), "d");
        assert!(matches!(bad, Err(Error::Decode(_))));
        let bad: Result<Vec<Device>> = decode_list(serde_json::json!([{"no": "imei"}]), "d");
        assert!(matches!(bad, Err(Error::Decode(_))));
    }

    #[test]
    fn history_groups_split_and_skip_blanks() {
        let g = history_groups(&Value::String("a,b; c,d ;;".into()), "p").unwrap();
        assert_eq!(g, vec!["a,b", "c,d"]);
        assert!(history_groups(&Value::String(String::new()), "p")
            .unwrap()
            .is_empty());
        assert!(history_groups(&serde_json::json!({"x": 1}), "p").is_err());
    }
}
