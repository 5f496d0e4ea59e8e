//! A repository's credentials: storing and replacing its token (login), removing it
//! (logout), its webhook secret, and checking what the credentials allow (reachable,
//! authenticated, may push). Secrets go to the keychain only; the database keeps the random
//! id naming their entries.

use super::Engine;
use crate::error::{Code, Error, Result};
use crate::git::{AuthMethod, AuthSettings, GitRepo};
use crate::github::{default_api_url, may_carry_token, parse_git_url, redacted, GitHub, RepoRef};
use crate::secrets::{new_credential_id, Keychain, Secret, SecretKind};
use crate::store::RepoAuthRow;

/// One thing `check_repo` found wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct CheckProblem {
    pub code: Code,
    pub message: String,
}

/// What a repository's credentials allow, as found by [`Engine::check_repo`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RepoCheck {
    pub repository: String,
    pub url: String,
    pub branch: String,
    pub auth: AuthMethod,
    pub reachable: bool,
    pub authenticated: bool,
    /// The branch's tip on the remote, when it exists.
    pub branch_tip: Option<String>,
    /// Whether the credentials may push; `None` when it could not be found out.
    pub can_push: Option<bool>,
    /// How push permission was checked: `github-api` (permissions.push) or `git` (asking the
    /// server for its receive-pack service).
    pub push_checked_with: Option<String>,
    /// GitHub API requests left in the current window (`x-ratelimit-remaining`), when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub rate_limit_remaining: Option<u64>,
    pub problems: Vec<CheckProblem>,
}

/// The steps of a connection check, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStepKind {
    Reachable,
    Authenticated,
    BranchExists,
    MayPush,
    RateLimit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum StepState {
    Passed,
    Failed,
    /// Not tried: an earlier step failed, or it does not apply (no GitHub API).
    Skipped,
}

/// One finished step of a connection check (the `repo-check` event of the app).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct CheckStep {
    pub repository: String,
    pub step: CheckStepKind,
    pub state: StepState,
    /// What was found, or what failed, in words.
    pub detail: String,
    /// For a failed step: the error's code, which decides the advice shown.
    pub code: Option<Code>,
}

impl RepoCheck {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn problem(e: &Error) -> CheckProblem {
    CheckProblem { code: e.code(), message: e.to_string() }
}

impl Engine {
    pub fn repo_auth(&self, repo: &str) -> Result<RepoAuthRow> {
        let conn = self.store.connect()?;
        self.store.repo_auth(&conn, repo)
    }

    /// The repository's clone, with its authentication settings (re)recorded from the
    /// database, so a clone made again after being deleted still authenticates.
    pub(super) fn repo_clone(&self, row: &RepoAuthRow) -> Result<GitRepo> {
        let repo = GitRepo::open_or_init(&self.clone_path(&row.clone_dir), &row.url)?;
        let settings = AuthSettings {
            repository: row.name.clone(),
            method: row.auth,
            credential_id: row.credential_id.clone(),
            ssh_key: row.ssh_key.as_ref().map(Into::into),
        };
        if repo.auth() != settings {
            repo.set_auth(&settings)?;
        }
        Ok(repo)
    }

    /// Stores (or replaces) the repository's token in the keychain and switches it to token
    /// authentication.
    pub fn login(&self, repo: &str, token: &Secret) -> Result<RepoAuthRow> {
        let conn = self.store.connect()?;
        let row = self.store.repo_auth(&conn, repo)?;
        if row.auth == AuthMethod::Ssh {
            return Err(Error::InvalidInput(format!("repository {repo} uses SSH keys, not a token")));
        }
        // Judged on the parsed URL: any scheme case, and the host the request would really go to.
        if !may_carry_token(&row.url) {
            return Err(Error::InvalidInput(format!(
                "repository {repo} is not an https:// repository ({}); tokens are for HTTPS",
                redacted(&row.url)
            )));
        }
        let id = match &row.credential_id {
            Some(id) => id.clone(),
            None => new_credential_id()?,
        };
        Keychain::system().store(SecretKind::RepoToken, &id, token)?;
        self.store.set_repo_auth(&conn, row.id, AuthMethod::Token, Some(&id), row.api_url.as_deref(), row.ssh_key.as_deref())?;
        let row = self.store.repo_auth(&conn, repo)?;
        self.repo_clone(&row)?;
        tracing::info!(repository = repo, "stored a new token in the keychain");
        Ok(row)
    }

    /// Removes the repository's token from the keychain; true when there was one. The
    /// repository keeps token authentication, so the next fetch says to log in again.
    pub fn logout(&self, repo: &str) -> Result<bool> {
        let row = self.repo_auth(repo)?;
        match &row.credential_id {
            Some(id) => Keychain::system().delete(SecretKind::RepoToken, id),
            None => Ok(false),
        }
    }

    /// Stores (or replaces) the secret that signs the repository's webhooks.
    pub fn set_webhook_secret(&self, repo: &str, secret: &Secret) -> Result<()> {
        let conn = self.store.connect()?;
        let row = self.store.repo_auth(&conn, repo)?;
        let id = match &row.credential_id {
            Some(id) => id.clone(),
            None => {
                let id = new_credential_id()?;
                self.store.set_repo_auth(&conn, row.id, row.auth, Some(&id), row.api_url.as_deref(), row.ssh_key.as_deref())?;
                id
            }
        };
        Keychain::system().store(SecretKind::WebhookSecret, &id, secret)
    }

    /// The repository's webhook secret, if one is stored.
    pub fn webhook_secret(&self, repo: &str) -> Result<Option<Secret>> {
        match self.repo_auth(repo)?.credential_id {
            Some(id) => Keychain::system().get(SecretKind::WebhookSecret, &id),
            None => Ok(None),
        }
    }

    /// The GitHub API client for the repository and the repository's owner/name, or `None`
    /// when it is not on GitHub (and no API URL was given).
    pub(super) fn github_for(&self, row: &RepoAuthRow) -> Result<Option<(GitHub, RepoRef)>> {
        let Some((host, repo)) = parse_git_url(&row.url) else { return Ok(None) };
        let Some(api) = row.api_url.clone().or_else(|| default_api_url(&host)) else { return Ok(None) };
        let token = match (row.auth, &row.credential_id) {
            (AuthMethod::Token, Some(id)) => Some(
                Keychain::system()
                    .get(SecretKind::RepoToken, id)?
                    .ok_or_else(|| Error::CredentialMissing { repository: row.name.clone() })?,
            ),
            (AuthMethod::Token, None) => return Err(Error::CredentialMissing { repository: row.name.clone() }),
            _ => None,
        };
        Ok(Some((GitHub::new(&api, token)?.for_repository(&row.name), repo)))
    }

    /// Checks the repository: can its remote be reached, do the credentials work, does the
    /// branch exist, may they push. Uses no more than an ls-remote (and one GitHub API call
    /// for GitHub repositories with a token).
    pub fn check_repo(&self, repo: &str) -> Result<RepoCheck> {
        self.check_repo_reporting(repo, &mut |_| {})
    }

    /// [`Engine::check_repo`], telling `on_step` each step's result as soon as it is known, so
    /// a window can tick them off one by one. Every step is reported once, in
    /// [`CheckStepKind`] order; a step that could not be tried is `skipped`.
    pub fn check_repo_reporting(&self, repo: &str, on_step: &mut dyn FnMut(CheckStep)) -> Result<RepoCheck> {
        let row = self.repo_auth(repo)?;
        let mut check = RepoCheck {
            repository: row.name.clone(),
            url: row.url.clone(),
            branch: row.branch.clone(),
            auth: row.auth,
            reachable: false,
            authenticated: false,
            branch_tip: None,
            can_push: None,
            push_checked_with: None,
            rate_limit_remaining: None,
            problems: Vec::new(),
        };
        let mut step = |kind: CheckStepKind, state: StepState, detail: String, code: Option<Code>| {
            on_step(CheckStep { repository: row.name.clone(), step: kind, state, detail, code });
        };
        let clone = self.repo_clone(&row)?;
        match clone.ls_remote(&row.branch) {
            Ok(tip) => {
                check.reachable = true;
                check.authenticated = true;
                check.branch_tip = tip;
                step(CheckStepKind::Reachable, StepState::Passed, row.url.clone(), None);
                step(CheckStepKind::Authenticated, StepState::Passed, format!("auth: {}", row.auth.as_str()), None);
                match &check.branch_tip {
                    Some(tip) => step(CheckStepKind::BranchExists, StepState::Passed, format!("{} at {}", row.branch, &tip[..tip.len().min(10)]), None),
                    None => {
                        let p = CheckProblem { code: Code::NotFound, message: format!("branch {} does not exist in {}", row.branch, row.url) };
                        step(CheckStepKind::BranchExists, StepState::Failed, p.message.clone(), Some(p.code));
                        check.problems.push(p);
                    }
                }
            }
            Err(e) => {
                check.reachable = !matches!(e.code(), Code::RemoteUnreachable | Code::Tls | Code::KeychainLocked | Code::KeychainUnavailable);
                let p = problem(&e);
                if check.reachable {
                    step(CheckStepKind::Reachable, StepState::Passed, row.url.clone(), None);
                    step(CheckStepKind::Authenticated, StepState::Failed, p.message.clone(), Some(p.code));
                } else {
                    step(CheckStepKind::Reachable, StepState::Failed, p.message.clone(), Some(p.code));
                    step(CheckStepKind::Authenticated, StepState::Skipped, String::new(), None);
                }
                for kind in [CheckStepKind::BranchExists, CheckStepKind::MayPush, CheckStepKind::RateLimit] {
                    step(kind, StepState::Skipped, String::new(), None);
                }
                check.problems.push(p);
                return Ok(check);
            }
        }
        let github = match row.auth {
            AuthMethod::Token => self.github_for(&row),
            _ => Ok(None),
        };
        let mut github_used = false;
        match github {
            Ok(Some((client, repo_ref))) => {
                github_used = true;
                match client.repository(&repo_ref) {
                    Ok(info) => {
                        check.can_push = info.can_push;
                        check.push_checked_with = Some("github-api".to_owned());
                        check.rate_limit_remaining = client.rate_limit_remaining();
                        match info.can_push {
                            Some(true) => step(CheckStepKind::MayPush, StepState::Passed, "GitHub permissions.push".to_owned(), None),
                            Some(false) => {
                                let p = CheckProblem {
                                    code: Code::Permission,
                                    message: format!("the token may read {repo_ref} but not push to it (GitHub permissions.push is false)"),
                                };
                                step(CheckStepKind::MayPush, StepState::Failed, p.message.clone(), Some(p.code));
                                check.problems.push(p);
                            }
                            None => step(CheckStepKind::MayPush, StepState::Skipped, "GitHub did not say".to_owned(), None),
                        }
                    }
                    Err(e) => {
                        let p = problem(&e);
                        step(CheckStepKind::MayPush, StepState::Failed, p.message.clone(), Some(p.code));
                        check.problems.push(p);
                    }
                }
            }
            Ok(None) => match clone.check_push_access() {
                Ok(()) => {
                    check.can_push = Some(true);
                    check.push_checked_with = Some("git".to_owned());
                    step(CheckStepKind::MayPush, StepState::Passed, "the server offers receive-pack".to_owned(), None);
                }
                Err(e) => {
                    if matches!(e.code(), Code::Permission | Code::AuthFailed) {
                        check.can_push = Some(false);
                        check.push_checked_with = Some("git".to_owned());
                    }
                    let p = problem(&e);
                    step(CheckStepKind::MayPush, StepState::Failed, p.message.clone(), Some(p.code));
                    check.problems.push(p);
                }
            },
            Err(e) => {
                let p = problem(&e);
                step(CheckStepKind::MayPush, StepState::Failed, p.message.clone(), Some(p.code));
                check.problems.push(p);
            }
        }
        match check.rate_limit_remaining {
            Some(left) => step(CheckStepKind::RateLimit, StepState::Passed, format!("{left} API requests left this hour"), None),
            None if github_used => step(CheckStepKind::RateLimit, StepState::Skipped, "GitHub did not say".to_owned(), None),
            None => step(CheckStepKind::RateLimit, StepState::Skipped, "not a GitHub repository with a token".to_owned(), None),
        }
        Ok(check)
    }
}
