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
    /// For a refused push (`blocked`): the resources in the way and why, to list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<hhsync_engine::BlockedResource>>")]
    pub blocked: Vec<hhsync_engine::BlockedResource>,
}

impl From<Error> for BackendError {
    fn from(e: Error) -> Self {
        let blocked = match &e {
            Error::PushBlocked { blocked, .. } => blocked.clone(),
            _ => Vec::new(),
        };
        Self { code: e.code().as_str().to_owned(), message: e.to_string(), blocked }
    }
}

impl BackendError {
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self { code: hhsync_engine::Code::Internal.as_str().to_owned(), message: message.to_string(), blocked: Vec::new() }
    }
}
