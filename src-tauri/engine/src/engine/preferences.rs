//! The settings a person changes from the app's Settings page or `hhsync config`: the commit
//! author, the watch interval and the app's theme. Stored as text in the database's settings
//! table (shared by the CLI and the app); this module gives them their types, their defaults
//! and the checks on a new value, so a bad value is refused when set, not when read.

use super::Engine;
use crate::error::{Error, Result};
use crate::git::Author;

/// Seconds between checks of a fabric's remote when `watch.interval` is not set.
pub const DEFAULT_WATCH_INTERVAL: u64 = 60;

/// The app's colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the desktop's light or dark preference.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "system" => Some(Self::System),
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            _ => None,
        }
    }
}

/// Every setting with its value, and the author hhsync would use without the author settings
/// (git config), so the app can show the defaults as such.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Preferences {
    /// `author.name`, when set.
    pub author_name: Option<String>,
    /// `author.email`, when set.
    pub author_email: Option<String>,
    /// The author without the two settings: `HHSYNC_AUTHOR_*`, else git config, else "hhsync".
    pub default_author_name: String,
    pub default_author_email: String,
    /// Seconds between checks of each fabric's remote.
    #[ts(type = "number")]
    pub watch_interval: u64,
    pub theme: Theme,
}

impl Engine {
    /// The settings a user can change, with their meaning.
    pub const SETTINGS: &'static [(&'static str, &'static str)] = &[
        ("author.name", "name on commits hhsync makes (default: git config user.name)"),
        ("author.email", "email on commits hhsync makes (default: git config user.email)"),
        ("watch.interval", "seconds between checks of the remote by `hhsync watch` and the app (default 60)"),
        ("ui.theme", "the app's colours: system, light or dark (default system)"),
    ];

    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        let conn = self.store.connect()?;
        self.store.settings(&conn)
    }

    /// Sets a setting (`None` resets it to its default). The value is checked first.
    pub fn set_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        if !Self::SETTINGS.iter().any(|(k, _)| *k == key) {
            let known: Vec<&str> = Self::SETTINGS.iter().map(|(k, _)| *k).collect();
            return Err(Error::InvalidInput(format!("unknown setting {key:?}; settings: {}", known.join(", "))));
        }
        let value = value.map(str::trim);
        if let Some(v) = value {
            check_value(key, v)?;
        }
        let conn = self.store.connect()?;
        self.store.set_setting(&conn, key, value.filter(|v| !v.is_empty()))
    }

    pub fn preferences(&self) -> Result<Preferences> {
        let conn = self.store.connect()?;
        let get = |key: &str| self.store.setting(&conn, key);
        let defaults = Author::resolve(None, None);
        Ok(Preferences {
            author_name: get("author.name")?,
            author_email: get("author.email")?,
            default_author_name: defaults.name,
            default_author_email: defaults.email,
            watch_interval: get("watch.interval")?.and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(DEFAULT_WATCH_INTERVAL),
            theme: get("ui.theme")?.as_deref().and_then(Theme::parse).unwrap_or_default(),
        })
    }
}

/// Refuses a value the setting cannot hold. An empty value resets the setting.
fn check_value(key: &str, value: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::InvalidInput(format!("{key} {value:?}: {why}")));
    match key {
        _ if value.is_empty() => Ok(()),
        "watch.interval" => match value.parse::<u64>() {
            Ok(n) if (5..=86_400).contains(&n) => Ok(()),
            _ => bad("give a number of seconds from 5 to 86400"),
        },
        "ui.theme" if Theme::parse(value).is_none() => bad("use system, light or dark"),
        "author.email" if !value.contains('@') || value.chars().any(|c| c.is_whitespace() || c == '<' || c == '>') => {
            bad("give an email address such as ada@example.com")
        }
        "author.name" if value.chars().any(|c| c == '<' || c == '>' || c.is_control()) => bad("a name holds no '<', '>' or control characters"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_when_set() {
        assert!(check_value("watch.interval", "30").is_ok());
        assert!(check_value("watch.interval", "0").is_err());
        assert!(check_value("watch.interval", "soon").is_err());
        assert!(check_value("ui.theme", "dark").is_ok());
        assert!(check_value("ui.theme", "purple").is_err());
        assert!(check_value("author.email", "ada@example.com").is_ok());
        assert!(check_value("author.email", "ada").is_err());
        assert!(check_value("author.name", "Ada <x>").is_err());
        assert!(check_value("author.name", "").is_ok());
    }
}
