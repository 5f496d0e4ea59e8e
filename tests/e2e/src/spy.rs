//! What a script of the page could read, for the secrets audit of the desktop app: every
//! event's payload recorded by a spy, the answers (or errors) of the commands that tell about
//! repositories, fabrics and operations, the DOM with its inputs' values, and web storage. Used by the scenarios that handle tokens (settings.rs,
//! proposals.rs).

use crate::webdriver::Session;

/// Records, from now on, every payload of the events the app listens to, in `window.__spy`:
/// what any script of the page could hear. (The app's own command calls cannot be wrapped:
/// Tauri defines `__TAURI_INTERNALS__.invoke` read-only. [`readable`] calls the commands
/// itself instead, with the arguments the app uses, and gets the same answers.)
pub fn install_spy(s: &Session) {
    s.execute(
        r#"
        const i = window.__TAURI_INTERNALS__;
        const invoke = i.invoke.bind(i);
        window.__spy = [];
        const note = (what, value) => { try { window.__spy.push(what + ' ' + JSON.stringify(value)); } catch (e) { window.__spy.push(what + ' ' + String(value)); } };
        for (const event of ['repo-check', 'progress', 'fabric-changed', 'remote-news']) {
          invoke('plugin:event|listen', { event, target: { kind: 'Any' }, handler: i.transformCallback((e) => note('event ' + event, e)) });
        }
        return true;
        "#,
        vec![],
    )
    .unwrap();
}

/// Everything a page script can read: the result of every command that tells about
/// repositories (called here as any script of the page could), and of `more` (command, args),
/// the events the spy heard, the DOM with the values of its inputs, and the web storage.
pub fn readable(s: &Session, more: &[(&str, serde_json::Value)]) -> String {
    let results = s
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            const i = window.__TAURI_INTERNALS__;
            const calls = [['app_info', {}], ['list_repositories', {}], ['repository_settings', {}], ['check_repository', { name: 'lab' }],
                           ['preferences', {}], ['list_fabrics', {}]].concat(arguments[0]);
            Promise.all(calls.map(([cmd, args]) => i.invoke(cmd, args).then((r) => 'result ' + cmd + ' ' + JSON.stringify(r), (e) => 'rejected ' + cmd + ' ' + JSON.stringify(e))))
              .then((all) => done(all.join('\n')));
            "#,
            vec![serde_json::Value::Array(more.iter().map(|(cmd, args)| serde_json::json!([cmd, args])).collect())],
        )
        .unwrap();
    let page = s.execute(
        r#"
        const inputs = Array.from(document.querySelectorAll('input, textarea')).map((e) => e.value).join('\n');
        return [JSON.stringify(window.__spy), document.documentElement.outerHTML, inputs,
                JSON.stringify(Object.assign({}, localStorage)), JSON.stringify(Object.assign({}, sessionStorage))].join('\n');
        "#,
        vec![],
    )
    .unwrap();
    format!("{}\n{}", results.as_str().unwrap_or_default(), page.as_str().unwrap_or_default())
}

