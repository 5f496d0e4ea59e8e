//! What a person does in the app, as WebDriver steps the scenarios share: read a text, click a
//! button once it is enabled, set and read the editor's text.

use std::time::Duration;

use serde_json::json;

use crate::webdriver::Session;

/// How long a step may take: a ceiling for a loaded CI machine, not an expectation.
pub const WAIT: Duration = Duration::from_secs(60);

pub fn text(s: &Session, css: &str) -> String {
    s.find(css).and_then(|e| s.text(&e)).unwrap_or_default()
}

/// Clicks `css` once it exists and is enabled (a button is disabled while an operation runs),
/// and once nothing covers it: a dialog closing or a toast sliding in intercepts a click for a
/// moment, as it would a person's, who then clicks again.
///
/// The element is looked up again each time: a page that reloads or re-renders replaces it, and
/// an element found before that is stale forever.
pub fn click(s: &Session, css: &str) {
    s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}"));
    let enabled = || s.find(css).ok().filter(|e| s.attribute(e, "disabled").is_ok_and(|d| d.is_none()));
    s.wait_until(&format!("{css} enabled"), WAIT, || enabled().is_some()).unwrap_or_else(|e| panic!("{e}"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let outcome = match enabled() {
            Some(e) => s.click(&e).map_err(|err| err.0),
            None => Err(format!("{css} went away or was disabled again")),
        };
        match outcome {
            Ok(()) => return,
            Err(_) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(200)),
            Err(err) => panic!("click {css}: {err}"),
        }
    }
}

/// Replaces the editor's whole text the way a paste does: through the DOM, so CodeMirror sees
/// a user edit (no auto-indent from typed newlines).
pub fn set_editor_text(s: &Session, text: &str) {
    let content = s.wait_for("[data-testid=editor] .cm-content", WAIT).unwrap();
    s.execute(
        "const el = arguments[0]; el.focus(); document.execCommand('selectAll', false, null); document.execCommand('insertText', false, arguments[1]); return true;",
        vec![s.element_arg(&content), json!(text)],
    )
    .unwrap();
}

pub fn editor_text(s: &Session) -> String {
    let content = s.wait_for("[data-testid=editor] .cm-content", WAIT).unwrap();
    s.execute(
        "return Array.from(arguments[0].querySelectorAll('.cm-line')).map(l => l.textContent).join('\\n');",
        vec![s.element_arg(&content)],
    )
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}


/// Replaces the text of the input `css`, as a person clearing it and typing.
pub fn type_into(s: &Session, css: &str, value: &str) {
    let e = s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}"));
    s.clear(&e).unwrap();
    s.type_text(&e, value).unwrap();
}

/// Ingests the demo fabric's raw/ from the overview (confirming if asked) and waits for its
/// 46 resources.
pub fn ingest_demo(s: &Session) {
    s.wait_for("[data-testid=overview]", WAIT).unwrap();
    click(s, "[data-testid=btn-ingest]");
    if let Ok(confirm) = s.wait_for("[data-testid=btn-ingest-confirm]", Duration::from_secs(3)) {
        s.click(&confirm).unwrap();
    }
    s.wait_until("46 synced resources", WAIT, || text(s, "[data-testid=count-synced]") == "46").unwrap();
}
