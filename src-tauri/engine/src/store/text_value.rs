//! Closed sets of states stored as text: one way to write and read them. A value that has a
//! closed set of states is an enum in the engine, stored as the same lower-case word the CLI's
//! JSON and the web view use; a word the enum does not know (a newer hhsync wrote it, say) is a
//! clear storage error, not a silent default.

/// An enum stored as one of a few words.
pub trait TextValue: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// Implements rusqlite's `ToSql`/`FromSql`, and `Display` (the word), for a [`TextValue`].
macro_rules! stored_as_text {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad($crate::store::TextValue::as_str(*self))
            }
        }

        impl rusqlite::types::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from($crate::store::TextValue::as_str(*self)))
            }
        }

        impl rusqlite::types::FromSql for $t {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                <$t as $crate::store::TextValue>::parse(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("unknown {} {text:?}", stringify!($t)).into())
                })
            }
        }
    };
}
pub(crate) use stored_as_text;
