//! The error the web view receives: the engine's code (for deciding what to show) and its
//! message (already phrased for a person, and free of secrets).

use hhsync_engine::Error;

#[derive(Debug, serde::Serialize, ts_rs::TS)]
#[ts(rename = "CommandError")]
pub struct BackendError {
    /// Always a [`hhsync_engine::Code`] in kebab-case.
    #[ts(as = "hhsync_engine::Code")]
    pub code: String,
    pub message: String,
}

impl From<Error> for BackendError {
    fn from(e: Error) -> Self {
        let code = serde_json::to_value(e.code()).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "io".to_owned());
        Self { code, message: e.to_string() }
    }
}

impl BackendError {
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self { code: "io".to_owned(), message: message.to_string() }
    }
}
