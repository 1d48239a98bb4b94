//! The error codes of the Open API (chapter 3 of the vendor's spec).
//!
//! Providers sometimes answer with an empty `message`, so the client keeps its own table and always
//! has words for a code.

/// A system error on the provider's side.
pub const SYSTEM_ERROR: i64 = 10000;
/// The request path is unknown.
pub const UNKNOWN_REQUEST: i64 = 10001;
/// The session timed out.
pub const LOGIN_TIMEOUT: i64 = 10002;
/// The caller has not signed in.
pub const NOT_LOGIN: i64 = 10003;
/// A parameter has a wrong format.
pub const PARAMETER_ERROR: i64 = 10004;
/// A required parameter is missing.
pub const MISSING_PARAMETER: i64 = 10005;
/// A parameter is out of range.
pub const OUT_OF_RANGE: i64 = 10006;
/// The account may not do this.
pub const PERMISSION_DENIED: i64 = 10007;
/// Too many requests: back off and retry.
pub const TOO_FREQUENT: i64 = 10009;
/// The access token is not known.
pub const TOKEN_NOT_EXIST: i64 = 10010;
/// The access token is invalid (for example replaced by a newer one).
pub const TOKEN_INVALID: i64 = 10011;
/// The access token has expired.
pub const TOKEN_EXPIRED: i64 = 10012;
/// The IMEI does not belong to the account.
pub const IMEI_NOT_AUTHORIZED: i64 = 10013;
/// The request time is too far from the server's clock.
pub const REQUEST_TIME_ERROR: i64 = 10014;
/// The account is blocked.
pub const ACCOUNT_BLOCKED: i64 = 10016;
/// Wrong account or password.
pub const ACCOUNT_OR_PASSWORD_ERROR: i64 = 20001;
/// The target device does not exist.
pub const TARGET_NOT_EXIST: i64 = 20005;
/// The device is offline.
pub const DEVICE_OFFLINE: i64 = 20017;
/// The command could not be sent.
pub const SEND_COMMAND_FAIL: i64 = 20018;
/// There is no data for the request.
pub const NO_DATA: i64 = 20023;
/// The target has expired.
pub const TARGET_EXPIRED: i64 = 20046;
/// The device does not support the command.
pub const UNSUPPORTED_COMMAND: i64 = 20048;
/// The device is blocked.
pub const DEVICE_BLOCKED: i64 = 20089;

/// Every code of the spec's chapter 3 with its description, in the spec's words.
pub const TABLE: &[(i64, &str)] = &[
    (SYSTEM_ERROR, "System error"),
    (UNKNOWN_REQUEST, "Unknown request"),
    (LOGIN_TIMEOUT, "Login timeout"),
    (NOT_LOGIN, "Not login yet"),
    (PARAMETER_ERROR, "Parameter error"),
    (MISSING_PARAMETER, "Missing required parameter"),
    (OUT_OF_RANGE, "The parameter is out of range"),
    (PERMISSION_DENIED, "Permission denied"),
    (TOO_FREQUENT, "Request is too frequency"),
    (TOKEN_NOT_EXIST, "Access token doesn't exist"),
    (TOKEN_INVALID, "Access token is invalid"),
    (TOKEN_EXPIRED, "Access token is out of date"),
    (IMEI_NOT_AUTHORIZED, "IMEI is not authorized"),
    (REQUEST_TIME_ERROR, "Request time error"),
    (ACCOUNT_BLOCKED, "Account is blocked"),
    (ACCOUNT_OR_PASSWORD_ERROR, "Account or password error"),
    (TARGET_NOT_EXIST, "Target doesn't exist."),
    (DEVICE_OFFLINE, "Device is offline."),
    (SEND_COMMAND_FAIL, "Send command fail."),
    (NO_DATA, "No Data."),
    (TARGET_EXPIRED, "Target is expired."),
    (UNSUPPORTED_COMMAND, "Unsupported command."),
    (DEVICE_BLOCKED, "Device is blocked."),
];

/// The spec's description of `code`, if the spec lists it.
///
/// ```
/// assert_eq!(etrack::codes::describe(20001), Some("Account or password error"));
/// assert_eq!(etrack::codes::describe(1), None);
/// ```
pub fn describe(code: i64) -> Option<&'static str> {
    TABLE.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

/// Whether `code` means the access token must be renewed.
pub fn is_token_error(code: i64) -> bool {
    matches!(code, TOKEN_NOT_EXIST | TOKEN_INVALID | TOKEN_EXPIRED)
}

/// Whether `code` says the session is gone: a token error, or "login timeout" (10002) and "not
/// login yet" (10003). The client signs in again once and retries.
pub fn is_session_gone(code: i64) -> bool {
    is_token_error(code) || matches!(code, LOGIN_TIMEOUT | NOT_LOGIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_description() {
        for (code, _) in TABLE {
            assert_eq!(TABLE.iter().filter(|(c, _)| c == code).count(), 1, "{code}");
        }
        assert_eq!(TABLE.len(), 23);
        assert_eq!(describe(10009), Some("Request is too frequency"));
    }

    #[test]
    fn token_errors_are_the_three_token_codes() {
        assert!(is_token_error(10010) && is_token_error(10011) && is_token_error(10012));
        assert!(!is_token_error(10009) && !is_token_error(20001));
    }
}
