//! Why a request got no answer, in a few words: "connection refused", "timed out", "DNS name not
//! found", "TLS failure".
//!
//! The HTTP stack's own text names its layers rather than the problem ("client error (Connect):
//! tcp connect error: Connection refused (os error 111)"), and reqwest's top-level message holds
//! the URL, whose query carries the access token: neither is shown. The whole chain goes to the
//! debug log.

use std::error::Error as StdError;
use std::io;

/// What reqwest itself knows about a failure, besides its chain of causes.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    timeout: bool,
    connect: bool,
    body: bool,
    request: bool,
}

/// The reason of a failed request, for [`crate::Error::Network`].
pub(crate) fn reason(e: &reqwest::Error) -> String {
    let chain = causes(e.source());
    let flags = Flags {
        timeout: e.is_timeout(),
        connect: e.is_connect(),
        body: e.is_body() || e.is_decode(),
        request: e.is_request(),
    };
    let words = classify(flags, &chain);
    tracing::debug!(reason = %words, causes = ?chain, "request failed");
    words
}

/// `first` and the causes behind it, outermost first.
fn causes<'a>(first: Option<&'a (dyn StdError + 'static)>) -> Vec<&'a (dyn StdError + 'static)> {
    std::iter::successors(first, |s: &&'a (dyn StdError + 'static)| (*s).source()).collect()
}

fn classify(flags: Flags, chain: &[&(dyn StdError + 'static)]) -> String {
    let io_kind = chain
        .iter()
        .find_map(|s| s.downcast_ref::<io::Error>())
        .map(io::Error::kind);
    if flags.timeout || io_kind == Some(io::ErrorKind::TimedOut) {
        return "timed out".to_owned();
    }
    let by_kind = match io_kind {
        Some(io::ErrorKind::ConnectionRefused) => Some("connection refused"),
        Some(io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted) => {
            Some("connection reset")
        }
        Some(io::ErrorKind::NetworkUnreachable) => Some("network unreachable"),
        Some(io::ErrorKind::HostUnreachable) => Some("host unreachable"),
        _ => None,
    };
    if let Some(words) = by_kind {
        return words.to_owned();
    }
    // The resolver and the TLS library report through opaque errors: their text is all there is.
    let texts: Vec<String> = chain.iter().map(|s| s.to_string().to_lowercase()).collect();
    let mentions = |needles: &[&str]| {
        texts
            .iter()
            .any(|t| needles.iter().any(|needle| t.contains(needle)))
    };
    if mentions(&["dns error", "failed to lookup address"]) {
        let unknown = mentions(&["not known", "no such host", "not found"]);
        return if unknown {
            "DNS name not found"
        } else {
            "DNS lookup failed"
        }
        .to_owned();
    }
    if mentions(&["ssl", "tls", "certificate"]) {
        return "TLS failure".to_owned();
    }
    let what = if flags.connect {
        "connection failed"
    } else if flags.body {
        "the reply was cut off"
    } else if flags.request {
        "the request failed"
    } else {
        "HTTP error"
    };
    // Something unforeseen: the innermost cause says what happened, without the layers above it.
    match chain.last() {
        Some(root) => format!("{what}: {root}"),
        None => what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt;

    /// One layer of an error chain, as the HTTP stack builds them.
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<dyn StdError + Send + Sync>>);

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Layer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|e| e as &(dyn StdError + 'static))
        }
    }

    fn words(flags: Flags, top: &Layer) -> String {
        classify(flags, &causes(Some(top)))
    }

    fn connect() -> Flags {
        Flags {
            connect: true,
            request: true,
            ..Flags::default()
        }
    }

    fn connecting(cause: Box<dyn StdError + Send + Sync>, layer: &'static str) -> Layer {
        Layer(
            "client error (Connect)",
            Some(Box::new(Layer(layer, Some(cause)))),
        )
    }

    #[test]
    fn the_usual_failures_read_as_a_few_words() {
        let kind =
            |k: io::ErrorKind| -> Box<dyn StdError + Send + Sync> { Box::new(io::Error::from(k)) };
        let text = |t: &str| -> Box<dyn StdError + Send + Sync> {
            Box::new(io::Error::other(t.to_owned()))
        };
        let ssl = "error:0A00010B:SSL routines:ssl3_get_record:wrong version number";
        let cases = [
            (
                connecting(kind(io::ErrorKind::ConnectionRefused), "tcp connect error"),
                "connection refused",
            ),
            (
                connecting(kind(io::ErrorKind::ConnectionReset), "tcp connect error"),
                "connection reset",
            ),
            (
                connecting(
                    text("failed to lookup address information: Name or service not known"),
                    "dns error",
                ),
                "DNS name not found",
            ),
            (
                connecting(
                    text("failed to lookup address information: Temporary failure in name resolution"),
                    "dns error",
                ),
                "DNS lookup failed",
            ),
            (
                Layer("client error (Connect)", Some(Box::new(Layer(ssl, None)))),
                "TLS failure",
            ),
        ];
        for (chain, want) in &cases {
            assert_eq!(words(connect(), chain), *want);
        }
        let timeout = Flags {
            timeout: true,
            ..Flags::default()
        };
        assert_eq!(
            words(timeout, &Layer("operation timed out", None)),
            "timed out"
        );
    }

    #[test]
    fn an_unforeseen_failure_keeps_only_its_innermost_cause() {
        let odd = Layer("the proxy hung up", None);
        assert_eq!(
            words(connect(), &connecting(Box::new(odd), "tunnel error")),
            "connection failed: the proxy hung up"
        );
        let body = Flags {
            body: true,
            ..Flags::default()
        };
        assert_eq!(
            words(body, &Layer("unexpected end of file", None)),
            "the reply was cut off: unexpected end of file"
        );
    }
}
