//! Whether the real system keychain (Secret Service) is there for the tests that need it.
//! scripts/with-keyring provides one (a private D-Bus session with an unlocked gnome-keyring).
//! Without it such a test fails when HHSYNC_REQUIRE_KEYRING=1 (as scripts/test sets), and is
//! skipped with a note otherwise.
#![allow(dead_code)]

use hhsync_engine::secrets::Keychain;

/// True when the keychain works; false (after printing why) when the test should be skipped.
pub fn available(test: &str) -> bool {
    match Keychain::system().probe() {
        Ok(()) => true,
        Err(e) => {
            let why = format!("the system keychain is not usable ({e}); run the tests through scripts/with-keyring");
            if std::env::var("HHSYNC_REQUIRE_KEYRING").as_deref() == Ok("1") {
                panic!("{test}: {why} (HHSYNC_REQUIRE_KEYRING=1)");
            }
            eprintln!("note: skipping {test}: {why}");
            false
        }
    }
}
