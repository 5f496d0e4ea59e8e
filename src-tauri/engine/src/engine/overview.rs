//! What the desktop shows of a fabric beyond the CLI's views: an overview with a status badge
//! and counts by kind, the GitOps directory as a tree with status marks, one file's content,
//! checking a text while it is typed, and templates for new resources.

use std::collections::BTreeMap;

use super::drafts::read_resource_text;
#[cfg(test)]
use super::drafts::parse_resource_text;
use super::Engine;
use crate::error::{Error, Result};
use crate::gitops::layout::{self, FileRole};
use crate::hedgehog::{validate_fabric, FabricResource, Kind, ResourceId, Severity};
use crate::store::{OperationRow, ResourceStatus, StoredIssue};
use crate::sync::issues::document_issues;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Badge {
    InSync,
    LocalChanges,
    Behind,
    Conflicts,
    Offline,
    Error,
    NeverSynced,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct LastSync {
    pub when: String,
    pub commit: String,
    pub author: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct UnmanagedFile {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Overview {
    pub fabric: crate::store::FabricRow,
    pub badge: Badge,
    pub badge_count: usize,
    pub counts: BTreeMap<String, usize>,
    pub by_kind: BTreeMap<String, usize>,
    pub raw_pending: Vec<String>,
    pub unmanaged: Vec<UnmanagedFile>,
    pub remote_commit: Option<String>,
    pub last_sync: Option<LastSync>,
    pub last_operation: Option<OperationRow>,
    pub drafts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct TreeEntry {
    pub path: String,
    pub role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<ResourceStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct TextCheck {
    pub errors: Vec<StoredIssue>,
    pub warnings: Vec<StoredIssue>,
}

fn issue(path: &str, line: Option<usize>, message: String, severity: Severity, rule: &str) -> StoredIssue {
    StoredIssue { path: path.to_owned(), line, message, severity, rule: rule.to_owned() }
}

impl Engine {
    pub fn overview(&self, fabric: &str) -> Result<Overview> {
        let row = self.fabric_row(fabric)?;
        let conn = self.store.connect()?;
        let resources = self.store.resources(&conn, row.id)?;
        let mut counts: BTreeMap<String, usize> = ResourceStatus::ALL.iter().map(|s| (s.as_str().to_owned(), 0)).collect();
        let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
        for r in &resources {
            *counts.entry(r.status.as_str().to_owned()).or_default() += 1;
            *by_kind.entry(r.kind.clone()).or_default() += 1;
        }
        let drafts = ["modified", "new", "deleted"].iter().map(|s| counts[*s]).sum::<usize>() + counts["conflict"];
        let last_operation = self.store.operations(&conn, row.id, 1)?.into_iter().next();
        let repo = self.open_clone(&row).ok();
        let remote_commit = repo.as_ref().and_then(|r| r.remote_tip(&row.branch).ok().flatten());
        let last_sync = match (&repo, &row.synced_commit) {
            (Some(repo), Some(commit)) => repo.commit_summary(commit).ok().map(|(author, when, summary)| LastSync {
                when,
                commit: commit.clone(),
                author,
                summary,
            }),
            _ => None,
        };
        let failed = last_operation.as_ref().filter(|o| o.status == crate::store::OperationStatus::Failed);
        let (badge, badge_count) = if counts["conflict"] > 0 {
            (Badge::Conflicts, counts["conflict"])
        } else if failed.is_some_and(|o| o.error_code == Some(crate::Code::RemoteUnreachable)) {
            (Badge::Offline, 0)
        } else if failed.is_some() {
            (Badge::Error, 0)
        } else if row.synced_commit.is_none() {
            (Badge::NeverSynced, 0)
        } else if drafts > 0 {
            (Badge::LocalChanges, drafts)
        } else if remote_commit.is_some() && remote_commit != row.synced_commit {
            (Badge::Behind, 0)
        } else {
            (Badge::InSync, 0)
        };
        Ok(Overview {
            badge,
            badge_count,
            counts,
            by_kind,
            raw_pending: self.store.raw_files(&conn, row.id)?,
            unmanaged: self.store.unmanaged_files(&conn, row.id)?.into_iter().map(|(path, reason)| UnmanagedFile { path, reason }).collect(),
            remote_commit,
            last_sync,
            last_operation,
            drafts,
            fabric: row,
        })
    }

    /// The files of the GitOps directory at the synced commit, with what each is.
    pub fn tree(&self, fabric: &str) -> Result<Vec<TreeEntry>> {
        let row = self.fabric_row(fabric)?;
        let Some(commit) = row.synced_commit.clone() else { return Ok(Vec::new()) };
        let repo = self.open_clone(&row)?;
        let conn = self.store.connect()?;
        let resources = self.store.resources(&conn, row.id)?;
        let by_path: BTreeMap<&str, &crate::store::ResourceRow> =
            resources.iter().filter_map(|r| r.path.as_deref().map(|p| (p, r))).collect();
        let unmanaged: BTreeMap<String, String> = self.store.unmanaged_files(&conn, row.id)?.into_iter().collect();
        let mut out: Vec<TreeEntry> = repo
            .list_files(&commit, &row.directory)?
            .into_iter()
            .map(|e| {
                let role = layout::role(&e.path);
                let resource = by_path.get(e.path.as_str());
                let reason = unmanaged.get(&e.path).cloned();
                let role_name = match (&role, &reason) {
                    (FileRole::Managed(_), Some(_)) => "stray",
                    (FileRole::Raw, _) => "raw",
                    (FileRole::Archived, _) => "archived",
                    (FileRole::Managed(_), None) => "managed",
                    (FileRole::Unmanaged, _) => "unmanaged",
                    (FileRole::Structure, _) => "structure",
                    (FileRole::Stray(_), _) => "stray",
                };
                TreeEntry {
                    path: e.path,
                    role: role_name,
                    kind: resource.map(|r| r.kind.clone()),
                    name: resource.map(|r| r.name.clone()),
                    status: resource.map(|r| r.status),
                    reason,
                }
            })
            .collect();
        // New resources exist only as drafts: show them where they will be written.
        for r in resources.iter().filter(|r| r.path.is_none()) {
            if let Some(kind) = Kind::from_name(&r.kind) {
                out.push(TreeEntry {
                    path: layout::managed_path(kind, &r.name),
                    role: "managed",
                    kind: Some(r.kind.clone()),
                    name: Some(r.name.clone()),
                    status: Some(r.status),
                    reason: None,
                });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// A file of the GitOps directory at the synced commit, as text.
    pub fn file_content(&self, fabric: &str, path: &str) -> Result<String> {
        let row = self.fabric_row(fabric)?;
        if path.split('/').any(|s| s == ".." || s.is_empty()) {
            return Err(Error::InvalidInput(format!("{path:?} is not a path inside the fabric")));
        }
        let commit = row.synced_commit.clone().ok_or_else(|| Error::NeverSynced { fabric: row.name.clone() })?;
        let repo = self.open_clone(&row)?;
        let blob = repo
            .blob_at(&commit, &layout::join(&row.directory, path))?
            .ok_or_else(|| Error::InvalidInput(format!("{path} does not exist in fabric {}", row.name)))?;
        Ok(String::from_utf8_lossy(&repo.read_blob(&blob)?).into_owned())
    }

    /// Validates a text for `KIND/NAME` without saving it: YAML errors with their line, the
    /// CRD schema and Hedgehog rules, and the fabric-wide rules against the rest of the fabric.
    pub fn check_text(&self, fabric: &str, id: &ResourceId, text: &str) -> Result<TextCheck> {
        let (kind, name) = (id.kind, id.name.as_str());
        let row = self.fabric_row(fabric)?;
        let parsed = match read_resource_text(text, kind, name, "the text") {
            Ok(p) => p,
            Err(e) => return Ok(TextCheck { errors: vec![issue("", e.line, e.message, Severity::Error, "yaml")], warnings: Vec::new() }),
        };
        let mut all = document_issues(kind, &parsed);
        let conn = self.store.connect()?;
        let others: Vec<(Kind, String, serde_json::Value)> = self
            .store
            .validation_inputs(&conn, row.id)?
            .into_iter()
            .filter(|r| !(r.kind == kind.name() && r.name == name))
            .filter_map(|r| Kind::from_name(&r.kind).map(|k| (k, r.name, r.value)))
            .collect();
        let mut inputs: Vec<FabricResource<'_>> = others.iter().map(|(k, n, v)| FabricResource { kind: *k, name: n, document: v }).collect();
        inputs.push(FabricResource { kind, name, document: &parsed.value });
        let me = inputs.len() - 1;
        for (i, found) in validate_fabric(&inputs) {
            if i == me {
                all.push(issue(&found.path.to_string(), parsed.line_of(&found.path), found.message, found.severity, found.rule));
            }
        }
        let (errors, warnings) = all.into_iter().partition(|i| i.severity == Severity::Error);
        Ok(TextCheck { errors, warnings })
    }
}

/// A starting text for a new resource of each kind.
pub fn kind_templates() -> BTreeMap<String, String> {
    Kind::ALL
        .iter()
        .map(|k| {
            let spec = match k {
                Kind::Switch => "  role: server-leaf\n  profile: vs\n  description: \"\"\n  boot:\n    mac: 0c:20:12:ff:00:00\n",
                Kind::Server => "  description: \"\"\n",
                Kind::Connection => "  unbundled:\n    link:\n      server:\n        port: server-01/enp2s1\n      switch:\n        port: leaf-01/E1/1\n",
                Kind::VPC => "  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      gateway: 10.0.1.1\n      vlan: 1001\n",
                Kind::VPCAttachment => "  connection: server-01--unbundled--leaf-01\n  subnet: vpc-1/default\n",
                Kind::VPCPeering => "  permit:\n  - vpc-1: {}\n    vpc-2: {}\n",
                Kind::IPv4Namespace => "  subnets:\n  - 10.0.0.0/16\n",
                Kind::VLANNamespace => "  ranges:\n  - from: 1000\n    to: 2999\n",
                Kind::External => "  ipv4Namespace: default\n  inboundCommunity: 65102:5000\n  outboundCommunity: 50000:50001\n",
                Kind::ExternalAttachment => "  external: external-1\n  connection: leaf-01--external\n  switch:\n    vlan: 100\n    ip: 192.168.100.1/24\n  neighbor:\n    asn: 64102\n    ip: 192.168.100.2\n",
                Kind::ExternalPeering => "  permit:\n    vpc:\n      name: vpc-1\n      subnets:\n      - default\n    external:\n      name: external-1\n      prefixes:\n      - prefix: 0.0.0.0/0\n",
                Kind::SwitchGroup | Kind::SwitchProfile | Kind::ServerProfile => "  {}\n",
            };
            let spec = if spec.trim() == "{}" { "spec: {}\n".to_owned() } else { format!("spec:\n{spec}") };
            let name = format!("new-{}", k.name().to_ascii_lowercase());
            (k.name().to_owned(), format!("apiVersion: {}\nkind: {}\nmetadata:\n  name: {}\n{spec}", k.api_version(), k.name(), &name[..name.len().min(11)]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_error_in_a_typed_text_keeps_its_line() {
        let e = read_resource_text("apiVersion: v1\nkind: Switch\nspec: [1, 2\nx: 1\n", Kind::Switch, "s", "the text").err().unwrap();
        assert!(e.line.is_some_and(|l| l >= 3), "{:?} {}", e.line, e.message);
        let e = read_resource_text("a: 1\n---\nb: 2\n", Kind::Switch, "s", "the text").err().unwrap();
        assert_eq!(e.line, None);
    }

    #[test]
    fn every_kind_has_a_template_that_parses_as_that_kind() {
        let templates = kind_templates();
        assert_eq!(templates.len(), 14);
        for (kind, text) in &templates {
            let k = Kind::from_name(kind).unwrap();
            let name = text.lines().find_map(|l| l.strip_prefix("  name: ")).unwrap();
            parse_resource_text(text, k, name, "template").unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
    }
}
