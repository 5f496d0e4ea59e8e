//! What the app's Settings page runs (issue G items 1 and 2), through the engine API it calls:
//! changing a repository's authentication in place (its fabrics and drafts stay), the stored
//! token replaced or removed in the real Secret Service, "check connection" reporting each step
//! as it finishes against a real smart-HTTP server behind basic auth, and the preferences with
//! their checks.

mod common;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/keyring.rs"]
mod keyring;

use common::Env;
use hhsync_engine::engine::{CheckStep, CheckStepKind, Engine, RepoOptions, RepoUpdate, StepState, Theme};
use hhsync_engine::git::AuthMethod;
use hhsync_engine::secrets::{Keychain, Secret, SecretKind};
use hhsync_engine::Code;
use http_git::GitHttpServer;

const GOOD: &str = "ghs_Good7oken0123456789abcdefGHIJKLmn";
const WRONG: &str = "ghs_Wrong7oken0123456789abcdefOPQRSTuv";

fn token(text: &str) -> Option<Secret> {
    Some(Secret::new(text.to_owned()).unwrap())
}

fn check(engine: &Engine) -> Vec<(CheckStepKind, StepState, Option<Code>)> {
    let mut steps: Vec<CheckStep> = Vec::new();
    engine.check_repo_reporting("r", &mut |s| steps.push(s)).unwrap();
    steps.into_iter().map(|s| (s.step, s.state, s.code)).collect()
}

fn update(auth: AuthMethod, token: Option<Secret>) -> RepoUpdate {
    RepoUpdate { auth, token, api_url: None, ssh_key: None }
}

#[test]
fn authentication_changes_in_place_and_check_connection_reports_each_step() {
    if !keyring::available("authentication_changes_in_place_and_check_connection_reports_each_step") {
        return;
    }
    let env = Env::new();
    env.remote_with("srv/acme/fabric", &[("README.md", "fabrics\n")]);
    let _server = GitHttpServer::start(&env.path("srv"), &[("x-access-token", GOOD, "rw")]);
    let url = _server.url("acme/fabric.git");
    let engine = Engine::open(&env.data_dir()).unwrap();
    let options = RepoOptions { auth: AuthMethod::Token, token: token(GOOD), ..RepoOptions::default() };
    engine.add_repo_with("r", &url, options).unwrap();
    engine.add_fabric("f", "r", "fab", None).unwrap();

    use {CheckStepKind as K, StepState as S};
    let all_pass = vec![
        (K::Reachable, S::Passed, None),
        (K::Authenticated, S::Passed, None),
        (K::BranchExists, S::Passed, None),
        (K::MayPush, S::Passed, None),
        (K::RateLimit, S::Skipped, None),
    ];
    assert_eq!(check(&engine), all_pass);

    // A wrong token replaces the stored one: authentication fails, the rest is not tried.
    let row = engine.update_repo("r", update(AuthMethod::Token, token(WRONG))).unwrap();
    assert_eq!(row.auth, AuthMethod::Token);
    let id = row.credential_id.clone().expect("a keychain entry");
    assert_eq!(Keychain::system().get(SecretKind::RepoToken, &id).unwrap().unwrap().expose(), WRONG);
    let failed = vec![
        (K::Reachable, S::Passed, None),
        (K::Authenticated, S::Failed, Some(Code::AuthFailed)),
        (K::BranchExists, S::Skipped, None),
        (K::MayPush, S::Skipped, None),
        (K::RateLimit, S::Skipped, None),
    ];
    assert_eq!(check(&engine), failed);
    // Saving without a token keeps the stored one (still the wrong one).
    engine.update_repo("r", update(AuthMethod::Token, None)).unwrap();
    assert_eq!(check(&engine), failed);
    engine.update_repo("r", update(AuthMethod::Token, token(GOOD))).unwrap();
    assert_eq!(check(&engine), all_pass);

    // Leaving token authentication removes the token from the keychain; the server then asks
    // for credentials the repository has none of.
    let row = engine.update_repo("r", update(AuthMethod::None, None)).unwrap();
    assert_eq!(row.auth, AuthMethod::None);
    assert!(Keychain::system().get(SecretKind::RepoToken, &id).unwrap().is_none(), "the token was removed");
    assert_eq!(check(&engine)[1], (K::Authenticated, S::Failed, Some(Code::AuthFailed)));
    // Token authentication with no token stored and none given is refused, and changes nothing.
    let err = engine.update_repo("r", update(AuthMethod::Token, None)).unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput, "{err}");
    assert_eq!(engine.repos_with_auth().unwrap()[0].auth, AuthMethod::None);
    // SSH does not fit an https URL.
    assert_eq!(engine.update_repo("r", update(AuthMethod::Ssh, None)).unwrap_err().code(), Code::InvalidInput);

    // The fabric stayed through every change, and works again with the right token.
    engine.update_repo("r", update(AuthMethod::Token, token(GOOD))).unwrap();
    assert_eq!(engine.fabrics().unwrap().len(), 1);
    engine.init("f", hhsync_engine::Trigger::User).unwrap();
}

#[test]
fn preferences_have_defaults_and_refuse_bad_values() {
    let env = Env::new();
    let engine = Engine::open(&env.data_dir()).unwrap();
    let p = engine.preferences().unwrap();
    assert_eq!((p.author_name.as_deref(), p.watch_interval, p.theme), (None, 60, Theme::System));
    assert!(!p.default_author_name.is_empty() && p.default_author_email.contains('@'), "{p:?}");

    engine.set_setting("author.name", Some("Ada Lovelace")).unwrap();
    engine.set_setting("watch.interval", Some("30")).unwrap();
    engine.set_setting("ui.theme", Some("dark")).unwrap();
    let p = engine.preferences().unwrap();
    assert_eq!((p.author_name.as_deref(), p.watch_interval, p.theme), (Some("Ada Lovelace"), 30, Theme::Dark));

    for (key, bad) in [("watch.interval", "0"), ("watch.interval", "soon"), ("ui.theme", "purple"), ("author.email", "ada")] {
        let err = engine.set_setting(key, Some(bad)).unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{key}={bad}: {err}");
        assert!(err.to_string().contains(key), "the message names the setting: {err}");
    }
    assert_eq!(engine.preferences().unwrap().watch_interval, 30, "a refused value changes nothing");
    // An empty value resets to the default.
    engine.set_setting("author.name", Some("")).unwrap();
    engine.set_setting("ui.theme", None).unwrap();
    let p = engine.preferences().unwrap();
    assert_eq!((p.author_name, p.theme), (None, Theme::System));
}
