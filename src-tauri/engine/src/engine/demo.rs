//! The demo workspace: a local bare repository seeded with the virtual-lab wiring diagram in
//! raw/, registered as repository `demo` and fabric `demo`, so hhsync can be tried with no
//! network and no account.

use std::path::PathBuf;

use super::{Engine, Trigger};
use crate::error::Result;
use crate::git::{Author, FileWrite, GitRepo};

const PREPOP: &str = include_str!("../../demo/prepop.yaml");
pub const DEMO_NAME: &str = "demo";
pub const DEMO_DIRECTORY: &str = "gitops/hedgehog/fabric-1";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoWorkspace {
    pub repository: String,
    pub fabric: String,
    /// The bare repository standing in for the remote.
    pub remote: PathBuf,
    /// False when the workspace already existed.
    pub created: bool,
}

impl Engine {
    /// Creates the demo workspace unless a repository named `demo` exists.
    pub fn ensure_demo(&self) -> Result<DemoWorkspace> {
        let remote = self.data_dir.join("demo").join("remote.git");
        let existing = {
            let conn = self.store.connect()?;
            self.store.find_repo(&conn, DEMO_NAME)?
        };
        if existing.is_some() {
            return Ok(DemoWorkspace { repository: DEMO_NAME.into(), fabric: DEMO_NAME.into(), remote, created: false });
        }
        let url = remote.to_string_lossy().into_owned();
        if !remote.exists() {
            std::fs::create_dir_all(&remote).map_err(|e| crate::Error::io(&remote, e))?;
            git2_init_bare(&remote)?;
            let seed = GitRepo::open_or_init(&self.data_dir.join("demo").join("seed.git"), &url)?;
            let author = Author { name: "hhsync demo".into(), email: "demo@hhsync.invalid".into() };
            let writes = vec![
                FileWrite::Put { path: "README.md".into(), bytes: b"# Demo fabric repository\n\nCreated by hhsync for trying it out.\n".to_vec() },
                FileWrite::Put { path: format!("{DEMO_DIRECTORY}/raw/prepop.yaml"), bytes: PREPOP.as_bytes().to_vec() },
            ];
            if let Some(commit) = seed.commit(None, &writes, "Virtual-lab wiring diagram dropped into raw/", &author)? {
                seed.push(&commit, "main")?;
            }
        }
        self.add_repo(DEMO_NAME, &url, "main")?;
        self.add_fabric(DEMO_NAME, DEMO_NAME, DEMO_DIRECTORY, None)?;
        self.init(DEMO_NAME, Trigger::User)?;
        Ok(DemoWorkspace { repository: DEMO_NAME.into(), fabric: DEMO_NAME.into(), remote, created: true })
    }
}

fn git2_init_bare(path: &std::path::Path) -> Result<()> {
    GitRepo::init_bare_remote(path)
}
