//! What each path inside a fabric's GitOps directory is.

use crate::hedgehog::Kind;

pub const RAW: &str = "raw";
pub const MANAGED: &str = "managed";
pub const UNMANAGED: &str = "unmanaged";
pub const META: &str = ".hnp";
pub const MANIFEST: &str = ".hnp/manifest.yaml";
pub const ARCHIVE_LOG: &str = ".hnp/archive-log.yaml";
pub const README: &str = "README.md";
pub const KEEP: &str = ".gitkeep";
pub const ARCHIVED_SUFFIX: &str = ".archived";

/// The role of a file, by its path relative to the GitOps directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRole {
    /// README.md, .hnp/*, .gitkeep files: structure, not content.
    Structure,
    /// A YAML file in raw/ waiting to be ingested.
    Raw,
    /// An ingested raw file, renamed to `*.yaml.archived`.
    Archived,
    /// `managed/<plural>/<file>.yaml`: one resource of this kind.
    Managed(Kind),
    /// A file in unmanaged/.
    Unmanaged,
    /// A file where it does not belong, with the reason.
    Stray(String),
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// True for a path segment git refuses to check out or to write into a tree: empty, `.`,
/// `..`, and `.git` in the spellings that file systems fold to it (any case, trailing dots or
/// spaces, the NTFS short name `git~1`). Trees holding one can still be made with git's
/// plumbing and pushed; hhsync must not read them as content nor write next to them.
fn uncheckoutable(segment: &str) -> bool {
    let folded = segment.trim_end_matches(['.', ' ']).to_ascii_lowercase();
    matches!(segment, "" | "." | "..") || folded == ".git" || folded == "git~1"
}

pub fn role(path: &str) -> FileRole {
    let parts: Vec<&str> = path.split('/').collect();
    if let Some(bad) = parts.iter().find(|s| uncheckoutable(s)) {
        // Checked first: such a path under raw/ would otherwise be ingested, and archiving it
        // (a rename in the tree) is refused by git, failing every ingest.
        return FileRole::Stray(format!("{path}: a file or folder named {bad:?} cannot be checked out by git; hhsync skips it"));
    }
    let file = parts.last().copied().unwrap_or_default();
    if file == KEEP || path == README || parts[0] == META {
        return FileRole::Structure;
    }
    match parts[0] {
        RAW if file.ends_with(ARCHIVED_SUFFIX) => FileRole::Archived,
        RAW if is_yaml(file) => FileRole::Raw,
        RAW => FileRole::Stray(format!("{path} is not a .yaml or .yml file; ingestion skips it")),
        UNMANAGED => FileRole::Unmanaged,
        MANAGED => match parts.as_slice() {
            [_, plural, file] => match Kind::from_plural(plural) {
                Some(kind) if is_yaml(file) => FileRole::Managed(kind),
                Some(_) => FileRole::Stray(format!("{path} is not a .yaml file")),
                None => FileRole::Stray(format!("managed/{plural}/ is not the folder of a Hedgehog kind")),
            },
            [_, _] => FileRole::Stray("files directly in managed/ are not read; resources go in managed/<kind plural>/".to_owned()),
            _ => FileRole::Stray("nested folders inside managed/<kind plural>/ are not read".to_owned()),
        },
        _ => FileRole::Stray("outside raw/, managed/ and unmanaged/".to_owned()),
    }
}

/// Most bytes a file name may have on common file systems.
pub const MAX_FILE_NAME: usize = 255;

/// A short stable digest of a text (FNV-1a, 64 bits, hex), to keep long names unique when
/// they are shortened.
pub fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `stem` + `suffix` as a file name of at most 255 bytes: a stem too long is cut and given a
/// digest of the whole, so distinct long names stay distinct and every clone can check out.
pub fn file_name(stem: &str, suffix: &str) -> String {
    if stem.len() + suffix.len() <= MAX_FILE_NAME {
        return format!("{stem}{suffix}");
    }
    let keep = MAX_FILE_NAME - suffix.len() - 17;
    let mut cut = keep;
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}{suffix}", &stem[..cut], digest(stem))
}

/// The file a new resource is written to.
pub fn managed_path(kind: Kind, name: &str) -> String {
    format!("{MANAGED}/{}/{}", kind.plural(), file_name(name, ".yaml"))
}

/// Joins the GitOps directory and a path inside it into a repository path.
pub fn join(directory: &str, path: &str) -> String {
    if directory.is_empty() {
        path.to_owned()
    } else {
        format!("{directory}/{path}")
    }
}

/// A file-name-safe form of a label: lowercase ASCII letters, digits, `-` and `_` (anything
/// else, `.` and `/` included, becomes `_`), at most 100 characters. Used for unmanaged/ file names, which come
/// from documents that may name anything.
pub fn safe_stem(label: &str) -> String {
    let mut out: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '_' })
        .collect();
    out.truncate(100);
    let trimmed = out.trim_matches(['_', '-']);
    if trimmed.is_empty() { "document".to_owned() } else { trimmed.to_owned() }
}

/// Normalises a GitOps directory given by a user: no leading/trailing `/`, no `.`/`..`
/// segments, no backslashes. `""` (or `.`) is the repository root.
pub fn normalize_directory(dir: &str) -> Result<String, String> {
    let trimmed = dir.trim().trim_matches('/');
    if trimmed == "." || trimmed.is_empty() {
        return Ok(String::new());
    }
    if trimmed.contains('\\') {
        return Err(format!("directory {dir:?}: use / to separate folders"));
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." || segment == ".git" {
            return Err(format!("directory {dir:?}: {segment:?} is not allowed as a folder name"));
        }
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_paths() {
        assert_eq!(role("raw/prepop.yaml"), FileRole::Raw);
        assert_eq!(role("raw/sub/x.YML"), FileRole::Raw);
        assert_eq!(role("raw/prepop.yaml.archived"), FileRole::Archived);
        assert_eq!(role("raw/.gitkeep"), FileRole::Structure);
        assert_eq!(role(".hnp/manifest.yaml"), FileRole::Structure);
        assert_eq!(role("README.md"), FileRole::Structure);
        assert_eq!(role("managed/switches/leaf-01.yaml"), FileRole::Managed(Kind::Switch));
        assert_eq!(role("managed/vpcs/.gitkeep"), FileRole::Structure);
        assert!(matches!(role("managed/tests/api-test.yaml"), FileRole::Stray(r) if r.contains("managed/tests/")));
        assert!(matches!(role("managed/x.yaml"), FileRole::Stray(_)));
        assert!(matches!(role("test/test_gitops.yaml"), FileRole::Stray(_)));
        assert_eq!(role("unmanaged/configmap-x.yaml"), FileRole::Unmanaged);
        assert!(matches!(role("raw/notes.txt"), FileRole::Stray(_)));
    }

    #[test]
    fn paths_git_cannot_check_out_are_stray_wherever_they_are() {
        for path in ["raw/../x.yaml", "raw/.git/x.yaml", "raw/.GIT/x.yaml", "raw/.git./x.yaml", "raw/git~1/x.yaml",
            "raw/./x.yaml", "raw//x.yaml", "raw/..", "managed/switches/../leaf.yaml", "unmanaged/.git", "../raw/x.yaml"] {
            assert!(matches!(role(path), FileRole::Stray(r) if r.contains("cannot be checked out")), "{path}");
        }
        assert_eq!(role("raw/.gitignore.yaml"), FileRole::Raw);
        assert_eq!(role("raw/..x.yaml"), FileRole::Raw);
    }

    #[test]
    fn safe_stems_cannot_escape() {
        assert_eq!(safe_stem("../../etc/passwd"), "etc_passwd");
        assert_eq!(safe_stem("/abs"), "abs");
        assert_eq!(safe_stem("ConfigMap-A.b"), "configmap-a_b");
        assert_eq!(safe_stem("..."), "document");
        assert!(!safe_stem(&"x".repeat(500)).contains('/'));
        assert_eq!(safe_stem("switchgroup-.."), "switchgroup");
    }

    #[test]
    fn long_names_fit_a_file_name() {
        let name = ["a".repeat(62), "b".repeat(62), "c".repeat(62), "d".repeat(62)].join(".");
        let path = managed_path(Kind::Server, &name);
        let file = path.rsplit('/').next().unwrap();
        assert!(file.len() <= MAX_FILE_NAME && file.ends_with(".yaml"), "{file}");
        let other = managed_path(Kind::Server, &name.replace('d', "e"));
        assert_ne!(path, other);
        assert_eq!(managed_path(Kind::Server, "s1"), "managed/servers/s1.yaml");
        assert!(file_name(&"r".repeat(250), ".yaml.archived").len() <= MAX_FILE_NAME);
    }

    #[test]
    fn directories_are_normalised() {
        assert_eq!(normalize_directory("/gitops/hedgehog/fabric-1/").unwrap(), "gitops/hedgehog/fabric-1");
        assert_eq!(normalize_directory(".").unwrap(), "");
        assert!(normalize_directory("a/../b").is_err());
        assert!(normalize_directory("a//b").is_err());
        assert!(normalize_directory("a\\b").is_err());
    }
}
