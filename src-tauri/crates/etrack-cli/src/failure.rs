//! Why a run failed, and the exit code scripts see for it.

use std::fmt;

/// A failed run.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or input; nothing was sent. Exit code 2.
    Usage(String),
    /// The provider or the network failed. Exit code 1.
    Remote(etrack::Error),
    /// Something else went wrong after the input was accepted (keychain, a command that timed
    /// out, the demo service). Exit code 1.
    Other(String),
}

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Remote(_) | Failure::Other(_) => 1,
        }
    }

    /// A usage failure with this text.
    pub fn usage(msg: impl Into<String>) -> Self {
        Failure::Usage(msg.into())
    }
}

impl From<etrack::Error> for Failure {
    fn from(e: etrack::Error) -> Self {
        // The client refuses invalid input before sending; that is a usage error for scripts.
        match e {
            etrack::Error::Validation(msg) => Failure::Usage(msg),
            other => Failure::Remote(other),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(msg) | Failure::Other(msg) => write!(f, "error: {msg}"),
            // The client's Display already names the code with the spec's words, the HTTP status,
            // or that the reply was not valid JSON.
            Failure::Remote(e) => write!(f, "error: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_exit_1_with_code_and_spec_words() {
        let f = Failure::from(etrack::Error::Api {
            code: 20001,
            message: String::new(),
        });
        assert_eq!(f.exit_code(), 1);
        assert_eq!(f.to_string(), "error: 20001 Account or password error");
    }

    #[test]
    fn http_and_decode_errors_exit_1() {
        let f = Failure::from(etrack::Error::Http { status: 502 });
        assert_eq!(f.exit_code(), 1);
        assert!(f.to_string().contains("HTTP 502"), "{f}");
        let f = Failure::from(etrack::Error::Decode("expected value".into()));
        assert_eq!(f.exit_code(), 1);
        assert!(f.to_string().contains("not valid JSON"), "{f}");
    }

    #[test]
    fn validation_errors_are_usage_errors() {
        let f = Failure::from(etrack::Error::validation("the radius must be ..."));
        assert_eq!(f.exit_code(), 2);
        assert_eq!(f.to_string(), "error: the radius must be ...");
    }
}
