//! Reading what the fabric's cluster holds, with the Kubernetes client for Rust (kube over
//! tokio) and the kubeconfig's own credentials: client certificates, tokens, exec plugins and
//! the CA. Read-only: hhsync lists, and never writes to the cluster (applying is the GitOps
//! controller's job).
//!
//! One refresh is one snapshot: the first list's `resourceVersion` is the point every other
//! list is read at (`resourceVersionMatch=Exact`), so the kinds agree with each other. When the
//! server has compacted that version away (410 Gone), the snapshot starts over at the newest
//! version; when that fails again, each kind is read at its newest.
//!
//! The engine's API is blocking; each read runs on its own current-thread runtime, so it can
//! be called from the CLI and from the app's blocking tasks alike.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use kube::api::{Api, DynamicObject, ListParams, VersionMatch};
use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig};
use kube::discovery::ApiResource;
use kube::{Client, Config};
use serde_json::Value;

use super::normalize::DEFAULT_NAMESPACE;
use crate::hedgehog::Kind;
use crate::secrets::Secret;

/// How a fabric reaches its cluster: a kubeconfig, and the context and namespace to use in it
/// (the kubeconfig's current context and `default` when not given).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ClusterLink {
    pub kubeconfig: String,
    pub context: Option<String>,
    pub namespace: Option<String>,
}

impl ClusterLink {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }
}

/// The switch agents' kind: the agent on each switch reports its heartbeat, what it applied,
/// and the interfaces and neighbors it sees.
pub const AGENT_GROUP: &str = "agent.githedgehog.com";
pub const AGENT_VERSION: &str = "v1beta1";

/// One kind as the snapshot read it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum KindRead {
    Listed { items: Vec<Value> },
    /// Our credentials may not list this kind (403).
    Forbidden { reason: String },
    /// The cluster does not serve this kind (404: the CRD is not installed).
    NotServed { reason: String },
}

/// Everything one refresh read, as stored and as the drift is computed from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// RFC 3339, when the read finished.
    pub taken_at: String,
    pub resource_version: Option<String>,
    /// By kind name (`VPC`, `Switch`, ...).
    pub kinds: BTreeMap<String, KindRead>,
    pub agents: KindRead,
}

impl Snapshot {
    /// The live object of `kind` named `name`, when its kind was listed.
    pub fn object(&self, kind: Kind, name: &str) -> Option<&Value> {
        match self.kinds.get(kind.name())? {
            KindRead::Listed { items } => items.iter().find(|o| o.pointer("/metadata/name").and_then(Value::as_str) == Some(name)),
            _ => None,
        }
    }
}

/// Why no snapshot could be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The kubeconfig cannot be read or names no usable context.
    #[error("the kubeconfig {path}: {reason}")]
    Config { path: String, reason: String },
    #[error("the cluster cannot be reached: {0}")]
    Unreachable(String),
    /// 401: the credentials are not accepted.
    #[error("the cluster does not accept the kubeconfig's credentials: {0}")]
    Unauthorized(String),
    /// 403 on every kind.
    #[error("the kubeconfig's user may not list Hedgehog's resources: {0}")]
    Forbidden(String),
}

fn api_resource(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.to_owned(),
        version: version.to_owned(),
        api_version: format!("{group}/{version}"),
        kind: kind.to_owned(),
        plural: plural.to_owned(),
    }
}

/// Reads the 14 user kinds and the switch agents in one snapshot.
/// With `token`, that bearer token is the credential, instead of the kubeconfig user's.
pub fn read_snapshot(link: &ClusterLink, token: Option<&Secret>, now: impl Fn() -> String) -> Result<Snapshot, ReadError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ReadError::Unreachable(format!("cannot start the client: {e}")))?;
    runtime.block_on(async {
        let client = client(link, token).await?;
        for _ in 0..2 {
            match snapshot(&client, link.namespace(), &now, true).await {
                Ok(result) => return result,
                Err(Gone) => continue,
            }
        }
        // A server that cannot serve a list at another list's version twice in a row (one that
        // keeps a version per kind, say): each kind at its newest, which is all it offers.
        tracing::warn!("the cluster refused to list at one resource version; reading each kind at its newest");
        snapshot(&client, link.namespace(), &now, false).await.unwrap_or_else(|Gone| {
            Err(ReadError::Unreachable("the cluster refused every list as too old".to_owned()))
        })
    })
}

async fn client(link: &ClusterLink, token: Option<&Secret>) -> Result<Client, ReadError> {
    let config_err = |reason: String| ReadError::Config { path: link.kubeconfig.clone(), reason };
    let kubeconfig = Kubeconfig::read_from(Path::new(&link.kubeconfig)).map_err(|e| config_err(e.to_string()))?;
    // The context asked for, even when the kubeconfig's current context points elsewhere.
    let options = KubeConfigOptions { context: link.context.clone(), cluster: None, user: None };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options).await.map_err(|e| config_err(e.to_string()))?;
    config.connect_timeout = Some(Duration::from_secs(10));
    config.read_timeout = Some(Duration::from_secs(30));
    config.default_namespace = link.namespace().to_owned();
    if let Some(token) = token {
        // The token given to hhsync replaces the user's certificates, tokens and exec plugin.
        config.auth_info = AuthInfo { token: Some(token.expose().to_owned().into()), ..AuthInfo::default() };
    }
    Client::try_from(config).map_err(|e| config_err(e.to_string()))
}

/// The snapshot's resource version expired while it was read (410).
struct Gone;

/// With `consistent`, every list after the first is read at the first one's resource version.
async fn snapshot(client: &Client, namespace: &str, now: &dyn Fn() -> String, consistent: bool) -> Result<Result<Snapshot, ReadError>, Gone> {
    let mut at: Option<String> = None;
    let mut kinds = BTreeMap::new();
    let mut forbidden = 0;
    let mut resources: Vec<(Option<Kind>, ApiResource)> =
        Kind::ALL.into_iter().map(|k| (Some(k), api_resource(k.group(), crate::hedgehog::VERSION, k.name(), k.plural()))).collect();
    resources.push((None, api_resource(AGENT_GROUP, AGENT_VERSION, "Agent", "agents")));
    let mut agents = KindRead::Listed { items: Vec::new() };
    for (kind, resource) in resources {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &resource);
        let params = match &at {
            Some(rv) if consistent => ListParams::default().at(rv).matching(VersionMatch::Exact),
            _ => ListParams::default(),
        };
        let read = match api.list(&params).await {
            Ok(list) => {
                if at.is_none() {
                    at = list.metadata.resource_version.clone();
                }
                let items = list.items.into_iter().filter_map(|o| with_type(o, &resource)).collect();
                KindRead::Listed { items }
            }
            Err(kube::Error::Api(e)) => match e.code {
                401 => return Ok(Err(ReadError::Unauthorized(e.message))),
                403 => {
                    forbidden += 1;
                    KindRead::Forbidden { reason: e.message }
                }
                404 => KindRead::NotServed { reason: e.message },
                410 => return Err(Gone),
                _ => return Ok(Err(ReadError::Unreachable(format!("{} ({}): {}", e.reason, e.code, e.message)))),
            },
            Err(e) => return Ok(Err(ReadError::Unreachable(error_chain(&e)))),
        };
        match kind {
            Some(k) => {
                kinds.insert(k.name().to_owned(), read);
            }
            None => agents = read,
        }
    }
    if forbidden == Kind::ALL.len() {
        let reason = kinds.values().find_map(|k| match k {
            KindRead::Forbidden { reason } => Some(reason.clone()),
            _ => None,
        });
        return Ok(Err(ReadError::Forbidden(reason.unwrap_or_default())));
    }
    Ok(Ok(Snapshot { taken_at: now(), resource_version: at, kinds, agents }))
}

/// The object as JSON with its apiVersion and kind: a list's items may leave them out.
fn with_type(object: DynamicObject, resource: &ApiResource) -> Option<Value> {
    let mut value = serde_json::to_value(object).ok()?;
    if let Value::Object(map) = &mut value {
        map.insert("apiVersion".to_owned(), Value::String(resource.api_version.clone()));
        map.insert("kind".to_owned(), Value::String(resource.kind.clone()));
    }
    Some(value)
}

/// The error and its causes in one line: "connection refused" is usually a cause or two down.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}
