//! [`Secret`]: a token or webhook secret in memory. It cannot be printed by accident (Debug and
//! Display say `<redacted>`), is not `Serialize`, and is wiped from memory when dropped. The one
//! way to the text is [`Secret::expose`], called only where the value goes on the wire.

use std::io::Read;

use zeroize::Zeroize;

use crate::error::{Error, Result};

/// The largest secret accepted from standard input or the environment (GitHub tokens are under
/// 300 bytes; this leaves room for other hosts).
const MAX_LEN: usize = 4096;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `text` with surrounding whitespace (a trailing newline from `echo`, say) removed.
    /// An empty or multi-line secret is refused; the error never quotes the value.
    pub fn new(mut text: String) -> Result<Self> {
        let trimmed = text.trim();
        let problem = if trimmed.is_empty() {
            Some("the secret is empty")
        } else if trimmed.len() > MAX_LEN {
            Some("the secret is longer than 4096 bytes")
        } else if trimmed.chars().any(char::is_control) {
            Some("the secret holds control characters or several lines")
        } else {
            None
        };
        if let Some(problem) = problem {
            text.zeroize();
            return Err(Error::InvalidInput(problem.to_owned()));
        }
        let secret = Secret(trimmed.to_owned());
        text.zeroize();
        Ok(secret)
    }

    /// Reads a secret from `reader` (standard input), up to [`MAX_LEN`] bytes.
    pub fn read_from(reader: impl Read, what: &str) -> Result<Self> {
        let mut bytes = Vec::new();
        reader.take(MAX_LEN as u64 + 2).read_to_end(&mut bytes).map_err(|e| Error::io(what, e))?;
        match String::from_utf8(bytes) {
            Ok(text) => Self::new(text),
            Err(e) => {
                e.into_bytes().zeroize();
                Err(Error::InvalidInput(format!("the secret read from {what} is not UTF-8 text")))
            }
        }
    }

    /// Reads a secret from environment variable `var`.
    pub fn from_env(var: &str) -> Result<Self> {
        match std::env::var(var) {
            Ok(text) => Self::new(text),
            Err(std::env::VarError::NotPresent) => Err(Error::InvalidInput(format!("environment variable {var} is not set"))),
            Err(std::env::VarError::NotUnicode(_)) => Err(Error::InvalidInput(format!("environment variable {var} is not UTF-8 text"))),
        }
    }

    /// A fresh random secret (for webhooks): 32 random bytes as hex.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::InvalidInput(format!("no randomness available: {e}")))?;
        let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        bytes.zeroize();
        Ok(Secret(text))
    }

    /// The secret's text, for the one place it goes: a credential callback, an HTTP header, a
    /// keychain write or an HMAC key.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let s = Secret::new("ghp_abcdef\n".to_owned()).unwrap();
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "ghp_abcdef");
    }

    #[test]
    fn refuses_empty_and_multiline_without_quoting() {
        for bad in ["", "  \n", "abc\ndef"] {
            let err = Secret::new(bad.to_owned()).unwrap_err().to_string();
            assert!(!err.contains("abc"), "{err}");
        }
        assert!(Secret::read_from(&b"tok\n"[..], "stdin").is_ok());
        assert!(Secret::read_from(&[0xff, 0xfe][..], "stdin").is_err());
    }

    #[test]
    fn generated_secrets_differ() {
        let a = Secret::generate().unwrap();
        let b = Secret::generate().unwrap();
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.expose().len(), 64);
    }
}
