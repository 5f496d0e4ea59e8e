//! Pushing to a remote that is a path on this machine (a plain path or a `file://` URL), and the
//! lock that serializes a clone's ref updates.
//!
//! Why not libgit2's local transport: it checks for a fast-forward and then writes the remote's
//! ref without comparing it against the value it checked, so two clients pushing at once can
//! overwrite each other's commit while both are told "pushed". Here the objects are copied into
//! the remote's object database as one pack, and the branch is moved the way `git
//! receive-pack` moves it: under the ref's lock file (`refs/heads/<branch>.lock`, the same one
//! git and libgit2 take), only if it still points where it did when the fast-forward was
//! checked. The remote's hooks do not run (libgit2's local transport does not run them either).
//!
//! Why a lock of our own: every fabric of a repository shares one bare clone, and its
//! remote-tracking refs and the scratch ref a push is sent from are shared too. A file lock in
//! the clone (`hhsync-refs.lock`) makes each fetch and each push one step, across threads and
//! processes.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use super::remote::PushOutcome;
use super::GitRepo;
use crate::error::{Error, Result};

/// Held while a fetch or a push updates the clone's refs; released on drop (and by the OS when
/// the process dies).
pub(super) struct RefsLock {
    _file: File,
}

impl GitRepo {
    /// Waits for, then holds, the clone's ref lock. Network operations inside it have their own
    /// time limits, so waiting without a deadline cannot hang for ever.
    pub(super) fn lock_refs(&self) -> Result<RefsLock> {
        let path = self.repo.path().join("hhsync-refs.lock");
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
        file.lock().map_err(|e| Error::io(&path, e))?;
        self.clear_stale_ref_locks();
        Ok(RefsLock { _file: file })
    }

    /// Removes the lock files a process killed in the middle of a ref update left behind, which
    /// would fail every later fetch ("failed to lock file") until removed by hand (the crash
    /// campaign found one). While we hold the clone's refs lock no hhsync process is updating
    /// a ref, and git holds such a lock for milliseconds: one still there after a short wait is
    /// stale.
    fn clear_stale_ref_locks(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        loop {
            let locks = ref_lock_files(self.repo.path());
            if locks.is_empty() {
                return;
            }
            if std::time::Instant::now() >= deadline {
                for lock in locks {
                    tracing::warn!(lock = %lock.display(), "removing a lock file left by a process that was killed");
                    let _ = std::fs::remove_file(&lock);
                }
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The remote's directory when the remote is on this machine.
    pub(super) fn local_remote_path(&self) -> Option<PathBuf> {
        local_path(&self.url)
    }

    /// Pushes `commit` to `branch` of the local repository at `remote_path`: objects first,
    /// then a compare-and-swap of the branch. A branch that does not exist yet is created only
    /// if nobody created it meanwhile.
    pub(super) fn push_local(&self, remote_path: &Path, commit: &str, branch: &str) -> Result<PushOutcome> {
        let url = self.url.clone();
        let unreachable = |e: git2::Error| Error::RemoteUnreachable { url: url.clone(), message: e.message().to_owned() };
        let remote = git2::Repository::open(remote_path).map_err(unreachable)?;
        let oid = git2::Oid::from_str(commit).map_err(|e| Error::git("commit id", e))?;
        let refname = format!("refs/heads/{branch}");
        let current = match remote.refname_to_id(&refname) {
            Ok(id) => Some(id),
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => return Err(Error::git(format!("reading {branch} in {url}"), e)),
        };
        self.copy_objects(&remote, oid)?;
        if let Some(current) = current {
            if current == oid {
                return Ok(PushOutcome::Pushed);
            }
            let fast_forward = remote.graph_descendant_of(oid, current).map_err(|e| Error::git("comparing commits", e))?;
            if !fast_forward {
                return Ok(PushOutcome::NonFastForward);
            }
        }
        let moved = match current {
            Some(current) => remote.reference_matching(&refname, oid, true, current, "hhsync push"),
            None => remote.reference(&refname, oid, false, "hhsync push"),
        };
        match moved {
            Ok(_) => Ok(PushOutcome::Pushed),
            // Someone moved (or created) the branch since we looked, or holds its lock right
            // now: the same as a remote that moved. The caller pulls and tries again.
            Err(e) if matches!(e.code(), git2::ErrorCode::Modified | git2::ErrorCode::Exists | git2::ErrorCode::Locked) => {
                Ok(PushOutcome::NonFastForward)
            }
            Err(e) => Err(Error::git(format!("moving {branch} in {url}"), e)),
        }
    }

    /// Copies what `remote` lacks of `commit`'s history into it. When `commit` was written as a
    /// pack of its own ([`GitRepo::commit`] of many files) on top of what the remote has, that
    /// pack file is copied as it is: packing ten thousand new objects again (delta search,
    /// compression, and the remote indexing them) was a fifth of an ingest. Whatever the remote
    /// still lacks after that goes as one pack built here.
    fn copy_objects(&self, remote: &git2::Repository, commit: git2::Oid) -> Result<()> {
        let remote_odb = remote.odb().map_err(|e| Error::git("opening the remote's objects", e))?;
        if remote_odb.exists(commit) {
            return Ok(());
        }
        // A copy that fails leaves it to the walk below to send everything (and to report
        // a remote that cannot be written).
        if let Err(e) = self.copy_bulk_pack(remote, &remote_odb, commit) {
            tracing::debug!(error = %e, "the commit's pack was not copied; packing its objects instead");
        }
        let missing = self.missing_objects(remote, &remote_odb, commit)?;
        if missing.is_empty() {
            return Ok(());
        }
        let mut builder = self.repo.packbuilder().map_err(|e| Error::git("packing objects", e))?;
        for id in missing {
            builder.insert_object(id, None).map_err(|e| Error::git("packing objects", e))?;
        }
        let mut writer = remote_odb.packwriter().map_err(|e| Error::git("writing the pack", e))?;
        let mut failed = None;
        builder
            .foreach(|chunk| match std::io::Write::write_all(&mut writer, chunk) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            })
            .map_err(|e| Error::git("sending objects", e))?;
        if let Some(e) = failed {
            return Err(Error::Git { context: format!("writing objects to {}", self.url), message: e.to_string() });
        }
        writer.commit().map_err(|e| Error::git("saving the pack in the remote", e))?;
        Ok(())
    }

    /// Copies the pack `commit` was written as into the remote's `objects/pack`, when there is
    /// one and the remote has the commit's parents. The pack goes first and its index last,
    /// each under a temporary name renamed into place: git reads a pack only through its index,
    /// so no reader sees half of it. Whether it held everything is checked after, by the walk.
    fn copy_bulk_pack(&self, remote: &git2::Repository, remote_odb: &git2::Odb<'_>, commit: git2::Oid) -> Result<()> {
        let Some((written, name)) = self.bulk_pack.lock().unwrap_or_else(|p| p.into_inner()).clone() else { return Ok(()) };
        let parents_there = self
            .repo
            .find_commit(commit)
            .map(|c| c.parent_ids().all(|p| remote_odb.exists(p)))
            .unwrap_or(false);
        let to = remote.path().join("objects/pack");
        if written != commit || !parents_there || !to.is_dir() {
            return Ok(());
        }
        copy_pack(&self.repo.path().join("objects/pack"), &to, &name)?;
        remote_odb.refresh().map_err(|e| Error::git("reading the remote's objects again", e))
    }

    /// The objects of `commit`'s history that `remote_odb` does not have: commits up to those
    /// it has, and of their trees, every object it lacks. A tree the remote has is taken to
    /// come with everything below it, as git takes it.
    fn missing_objects(&self, remote: &git2::Repository, remote_odb: &git2::Odb<'_>, commit: git2::Oid) -> Result<Vec<git2::Oid>> {
        let walking = |e| Error::git("walking history", e);
        let mut walk = self.repo.revwalk().map_err(walking)?;
        walk.push(commit).map_err(walking)?;
        // The history the remote's branches hold is not walked.
        let heads = remote.references_glob("refs/heads/*").map_err(|e| Error::git("listing the remote's branches", e))?;
        let local = self.repo.odb().map_err(|e| Error::git("opening the object database", e))?;
        for target in heads.flatten().filter_map(|r| r.target()).filter(|t| local.exists(*t)) {
            walk.hide(target).map_err(walking)?;
        }
        let mut missing = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut trees = Vec::new();
        for id in walk {
            let id = id.map_err(walking)?;
            if remote_odb.exists(id) {
                continue;
            }
            missing.push(id);
            trees.push(self.repo.find_commit(id).map_err(walking)?.tree_id());
        }
        while let Some(tree) = trees.pop() {
            if !seen.insert(tree) || remote_odb.exists(tree) {
                continue;
            }
            missing.push(tree);
            for entry in self.repo.find_tree(tree).map_err(walking)?.iter() {
                match entry.kind() {
                    Some(git2::ObjectType::Tree) => trees.push(entry.id()),
                    Some(git2::ObjectType::Blob) if seen.insert(entry.id()) && !remote_odb.exists(entry.id()) => missing.push(entry.id()),
                    _ => {}
                }
            }
        }
        Ok(missing)
    }
}

/// The directory a local remote URL names: `file://` URLs (scheme in any case) and paths.
/// `host:path` (scp-like SSH) and other URLs are not local.
fn local_path(url: &str) -> Option<PathBuf> {
    let lower = url.get(..7).map(str::to_ascii_lowercase);
    if lower.as_deref() == Some("file://") {
        return Some(PathBuf::from(&url[7..]));
    }
    if url.contains("://") {
        return None;
    }
    let path = Path::new(url);
    // `git@host:repo` is SSH; a path with a colon before its first slash is not a path here.
    let scp_like = url.find(':').is_some_and(|colon| url.find('/').is_none_or(|slash| colon < slash));
    if scp_like && !path.is_dir() {
        return None;
    }
    Some(path.to_owned())
}

/// Copies `pack-<name>.pack` and then its index from `from` to `to`, each under a temporary
/// name renamed into place: git reads a pack only through its index, so no reader sees half
/// of one. A pack already there is left as it is (a pack's name is the hash of its content).
pub(super) fn copy_pack(from: &Path, to: &Path, name: &str) -> Result<()> {
    for ext in ["pack", "idx"] {
        let file = format!("pack-{name}.{ext}");
        let target = to.join(&file);
        if target.exists() {
            continue;
        }
        let temporary = to.join(format!("tmp_hhsync_{}_{file}", std::process::id()));
        let copied = std::fs::copy(from.join(&file), &temporary).and_then(|_| std::fs::rename(&temporary, &target));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&temporary);
            return Err(Error::io(&target, e));
        }
    }
    Ok(())
}

/// The names (the hash in `pack-<hash>.pack`) of the packs in an `objects/pack` directory that
/// have their index.
pub(super) fn pack_names(dir: &Path) -> impl Iterator<Item = String> + '_ {
    std::fs::read_dir(dir).into_iter().flatten().flatten().filter_map(move |entry| {
        let file = entry.file_name().into_string().ok()?;
        let name = file.strip_prefix("pack-")?.strip_suffix(".pack")?.to_owned();
        dir.join(format!("pack-{name}.idx")).is_file().then_some(name)
    })
}

/// The git directory of a local repository: the path itself when bare, its `.git` otherwise.
pub(super) fn local_git_dir(path: &Path) -> Option<PathBuf> {
    [path.to_owned(), path.join(".git")].into_iter().find(|dir| dir.join("objects/pack").is_dir())
}

/// The ref lock files in a git directory: under refs/, and those of packed-refs, HEAD,
/// FETCH_HEAD and config (not our own hhsync-refs.lock).
fn ref_lock_files(git_dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "lock") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&git_dir.join("refs"), &mut out);
    for name in ["packed-refs.lock", "HEAD.lock", "FETCH_HEAD.lock", "config.lock"] {
        let path = git_dir.join(name);
        if path.exists() {
            out.push(path);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::local_path;
    use std::path::PathBuf;

    #[test]
    fn local_urls_are_recognised() {
        assert_eq!(local_path("/srv/x.git"), Some(PathBuf::from("/srv/x.git")));
        assert_eq!(local_path("FILE:///srv/x.git"), Some(PathBuf::from("/srv/x.git")));
        assert_eq!(local_path("git@github.com:acme/x.git"), None);
        assert_eq!(local_path("https://github.com/acme/x.git"), None);
        assert_eq!(local_path("ssh://git@host/x.git"), None);
    }
}
