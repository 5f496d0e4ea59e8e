//! Support for the end-to-end tests: a small W3C WebDriver client (the few endpoints the
//! scenarios use), a session against the real app started by tauri-driver with HOME, XDG dirs
//! and the data directory in a temp dir, and git helpers for "someone else's" clone.

pub mod app;
pub mod spy;
pub mod steps;
pub mod webdriver;
