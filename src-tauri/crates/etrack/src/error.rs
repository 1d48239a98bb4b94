//! The one error type of the client.

use crate::codes;
use std::fmt;

/// Everything that can go wrong talking to the Open API.
///
/// ```
/// let e = etrack::Error::Api { code: 20001, message: String::new() };
/// assert_eq!(e.to_string(), "20001 Account or password error");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The provider answered with a non-zero `code`.
    #[error("{}", ApiDisplay(*code, message))]
    Api {
        /// The numeric code of the spec's chapter 3 (or the provider's own).
        code: i64,
        /// The provider's message, possibly empty.
        message: String,
    },
    /// The provider answered with an HTTP status other than 200.
    #[error("the provider answered HTTP {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
    },
    /// The provider could not be reached (connection refused, DNS, time-out).
    #[error("cannot reach the provider at {url}: {reason}")]
    Network {
        /// The base URL that was tried.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The reply was not the JSON the spec describes.
    #[error("the reply was not valid JSON: {0}")]
    Decode(String),
    /// The request was refused before sending: nothing was sent.
    #[error("{0}")]
    Validation(String),
    /// The caller cancelled the operation.
    #[error("cancelled")]
    Cancelled,
}

struct ApiDisplay<'a>(i64, &'a String);

impl fmt::Display for ApiDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match codes::describe(self.0) {
            Some(d) => write!(f, "{} {}", self.0, d),
            None if !self.1.trim().is_empty() => write!(f, "{} {}", self.0, self.1.trim()),
            None => write!(f, "{} Unknown error", self.0),
        }
    }
}

impl Error {
    /// The API code, for [`Error::Api`].
    pub fn api_code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// A validation error with the given text.
    pub fn validation(msg: impl Into<String>) -> Self {
        Error::Validation(msg.into())
    }

    /// Whether this is the provider's "no data" answer (20023).
    pub fn is_no_data(&self) -> bool {
        self.api_code() == Some(codes::NO_DATA)
    }
}

/// The client's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_use_the_spec_words_even_when_the_message_is_empty() {
        let e = Error::Api {
            code: 20017,
            message: String::new(),
        };
        assert_eq!(e.to_string(), "20017 Device is offline.");
        let e = Error::Api {
            code: 99999,
            message: "odd".into(),
        };
        assert_eq!(e.to_string(), "99999 odd");
        let e = Error::Api {
            code: 99999,
            message: " ".into(),
        };
        assert_eq!(e.to_string(), "99999 Unknown error");
    }
}
