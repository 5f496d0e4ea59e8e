//! A stand-in for a Kubernetes API server, for what cannot run here: it speaks the published
//! wire format over HTTPS, as far as a read-only client needs it.
//!
//! - TLS with a test CA; the kubeconfig carries the CA. Clients authenticate with a bearer
//!   token or with a client certificate signed by that CA; anything else gets 401.
//! - Discovery (`/api`, `/apis`, `/apis/GROUP/VERSION`, `/version`) so that `kubectl get` and
//!   `kubectl api-resources` work against it, which tests use to check the format with a real
//!   client.
//! - Lists at `/apis/GROUP/VERSION/namespaces/NS/PLURAL`: `kind: XList`, `metadata.resourceVersion`
//!   and items, honouring `resourceVersion` with `resourceVersionMatch=Exact` (410 Gone for a
//!   version it does not hold, as after compaction).
//! - 401, 403 (per kind, when told) and 404 with a `Status` body.
//! - Objects come back as a Go client stores them: uid, resourceVersion, generation,
//!   creationTimestamp, managedFields, `status`, and what Hedgehog's VPC webhook defaults.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use serde_json::{json, Value};

pub const TOKEN: &str = "test-token-0123456789";

/// The kinds served, as (group, version, kind, plural).
pub const KINDS: &[(&str, &str, &str, &str)] = &[
    ("wiring.githedgehog.com", "v1beta1", "Switch", "switches"),
    ("wiring.githedgehog.com", "v1beta1", "Server", "servers"),
    ("wiring.githedgehog.com", "v1beta1", "Connection", "connections"),
    ("wiring.githedgehog.com", "v1beta1", "SwitchGroup", "switchgroups"),
    ("wiring.githedgehog.com", "v1beta1", "VLANNamespace", "vlannamespaces"),
    ("wiring.githedgehog.com", "v1beta1", "SwitchProfile", "switchprofiles"),
    ("wiring.githedgehog.com", "v1beta1", "ServerProfile", "serverprofiles"),
    ("vpc.githedgehog.com", "v1beta1", "VPC", "vpcs"),
    ("vpc.githedgehog.com", "v1beta1", "VPCAttachment", "vpcattachments"),
    ("vpc.githedgehog.com", "v1beta1", "VPCPeering", "vpcpeerings"),
    ("vpc.githedgehog.com", "v1beta1", "IPv4Namespace", "ipv4namespaces"),
    ("vpc.githedgehog.com", "v1beta1", "External", "externals"),
    ("vpc.githedgehog.com", "v1beta1", "ExternalAttachment", "externalattachments"),
    ("vpc.githedgehog.com", "v1beta1", "ExternalPeering", "externalpeerings"),
    ("agent.githedgehog.com", "v1beta1", "Agent", "agents"),
];

#[derive(Default)]
pub struct State {
    /// Objects by (kind, name), as stored (with the server's fields).
    pub objects: BTreeMap<(String, String), Value>,
    pub resource_version: u64,
    /// Kinds whose list is forbidden (403).
    pub forbidden: BTreeSet<String>,
    /// Kinds the server does not serve (404: their CRD is not installed).
    pub unserved: BTreeSet<String>,
    /// Answer every list at an exact resource version with 410, as a server that keeps a
    /// version per kind would.
    pub refuse_exact: bool,
    /// Requests seen, as "METHOD PATH?QUERY" lines.
    pub requests: Vec<String>,
}

pub struct FakeKube {
    pub url: String,
    pub ca_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
    pub state: Arc<Mutex<State>>,
    listener: Option<TcpListener>,
}

impl FakeKube {
    pub fn start() -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "hhsync test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();

        let server_key = KeyPair::generate().unwrap();
        let server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap()
            .signed_by(&server_key, &ca, &ca_key)
            .unwrap();

        let client_key = KeyPair::generate().unwrap();
        let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        client_params.distinguished_name.push(DnType::CommonName, "hhsync-reader");
        client_params.extended_key_usages.push(ExtendedKeyUsagePurpose::ClientAuth);
        let client = client_params.signed_by(&client_key, &ca, &ca_key).unwrap();

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der().clone()).unwrap();
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .allow_unauthenticated()
            .build()
            .unwrap();
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![server.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .unwrap();
        let config = Arc::new(config);

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let state = Arc::new(Mutex::new(State { resource_version: 1000, ..State::default() }));
        let accept = listener.try_clone().unwrap();
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in accept.incoming() {
                let Ok(stream) = stream else { break };
                let (config, state) = (config.clone(), shared.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, config, &state);
                });
            }
        });
        Self { url, ca_pem: ca.pem(), client_cert_pem: client.pem(), client_key_pem: client_key.serialize_pem(), state, listener: Some(listener) }
    }

    /// Stops answering: connections are refused from now on.
    pub fn stop(&mut self) {
        if let Some(listener) = self.listener.take() {
            // Shutting the socket down ends the accept loop; dropping closes the port.
            let fd = std::os::fd::AsRawFd::as_raw_fd(&listener);
            // SAFETY: fd is the open listening socket this struct owns.
            unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
        }
    }

    /// Stores an object as the API server would after admission (see [`as_stored`]).
    pub fn put(&self, object: Value) {
        let mut state = self.state.lock().unwrap();
        state.resource_version += 1;
        let rv = state.resource_version;
        let kind = object["kind"].as_str().unwrap().to_owned();
        let name = object["metadata"]["name"].as_str().unwrap().to_owned();
        let generation = state.objects.get(&(kind.clone(), name.clone())).and_then(|o| o.pointer("/metadata/generation")?.as_i64()).map_or(1, |g| g + 1);
        state.objects.insert((kind, name), as_stored(object, rv, generation));
    }

    pub fn remove(&self, kind: &str, name: &str) {
        let mut state = self.state.lock().unwrap();
        state.resource_version += 1;
        state.objects.remove(&(kind.to_owned(), name.to_owned()));
    }

    pub fn unserve(&self, kind: &str) {
        self.state.lock().unwrap().unserved.insert(kind.to_owned());
    }

    pub fn forbid(&self, kind: &str) {
        self.state.lock().unwrap().forbidden.insert(kind.to_owned());
    }

    /// A kubeconfig with two contexts: `with-token` (the default one points at a closed port, so
    /// a client that ignores the context asked for fails) and `with-cert`.
    pub fn write_kubeconfig(&self, path: &Path, token: &str) {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let config = json!({
            "apiVersion": "v1", "kind": "Config", "current-context": "elsewhere",
            "clusters": [
                { "name": "fake", "cluster": { "server": self.url, "certificate-authority-data": b64(&self.ca_pem) } },
                { "name": "closed", "cluster": { "server": "https://127.0.0.1:9", "certificate-authority-data": b64(&self.ca_pem) } }
            ],
            "users": [
                { "name": "token-user", "user": { "token": token } },
                { "name": "cert-user", "user": { "client-certificate-data": b64(&self.client_cert_pem), "client-key-data": b64(&self.client_key_pem) } }
            ],
            "contexts": [
                { "name": "with-token", "context": { "cluster": "fake", "user": "token-user", "namespace": "default" } },
                { "name": "with-cert", "context": { "cluster": "fake", "user": "cert-user" } },
                { "name": "elsewhere", "context": { "cluster": "closed", "user": "token-user" } }
            ]
        });
        std::fs::write(path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    }
}

/// What the API server stores for `object`: the server's metadata, an empty status, and the
/// defaults Hedgehog's VPC webhook fills in (namespaces, gateways, labels).
pub fn as_stored(mut object: Value, rv: u64, generation: i64) -> Value {
    let name = object["metadata"]["name"].as_str().unwrap_or_default().to_owned();
    let api_version = object["apiVersion"].clone();
    let meta = object["metadata"].as_object_mut().unwrap();
    meta.insert("namespace".into(), json!("default"));
    meta.insert("uid".into(), json!(format!("00000000-0000-4000-8000-{:012}", rv)));
    meta.insert("resourceVersion".into(), json!(rv.to_string()));
    meta.insert("generation".into(), json!(generation));
    meta.insert("creationTimestamp".into(), json!("2026-11-30T10:00:00Z"));
    meta.insert("managedFields".into(), json!([{ "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": api_version }]));
    let meta = object["metadata"].as_object_mut().unwrap();
    meta.entry("annotations").or_insert(json!({}))["kubectl.kubernetes.io/last-applied-configuration"] = json!(format!("{{\"name\":\"{name}\"}}"));
    if object["kind"] == "VPC" {
        let spec = object["spec"].as_object_mut().unwrap();
        spec.entry("ipv4Namespace").or_insert(json!("default"));
        spec.entry("vlanNamespace").or_insert(json!("default"));
        if let Some(Value::Object(subnets)) = spec.get_mut("subnets") {
            for subnet in subnets.values_mut() {
                if subnet.get("gateway").is_none() {
                    let cidr = subnet["subnet"].as_str().unwrap_or_default();
                    let base = cidr.split('/').next().unwrap_or_default().rsplit_once('.').map(|(a, _)| a).unwrap_or_default();
                    subnet["gateway"] = json!(format!("{base}.1"));
                }
                subnet.as_object_mut().unwrap().entry("dhcp").or_insert(json!({}));
            }
        }
        // As the webhook does: its own labels set, a person's kept.
        let labels = object["metadata"].as_object_mut().unwrap().entry("labels").or_insert(json!({}));
        labels["fabric.githedgehog.com/ipv4ns"] = json!("default");
        labels["fabric.githedgehog.com/vlanns"] = json!("default");
    }
    object.as_object_mut().unwrap().entry("status").or_insert(json!({}));
    object
}

fn serve(stream: TcpStream, config: Arc<rustls::ServerConfig>, state: &Mutex<State>) -> std::io::Result<()> {
    let conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, stream);
    loop {
        // One request at a time on a kept-alive connection.
        let mut reader = BufReader::new(&mut tls);
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut headers = BTreeMap::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
            }
        }
        let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let with_cert = tls.conn.peer_certificates().is_some_and(|c| !c.is_empty());
        let with_token = headers.get("authorization").is_some_and(|a| a == &format!("Bearer {TOKEN}"));
        let (status, reply) = {
            let mut state = state.lock().unwrap();
            state.requests.push(format!("{} {target}", line.split_whitespace().next().unwrap_or("")));
            if with_cert || with_token { route(&state, &target) } else { failure(401, "Unauthorized", "Unauthorized") }
        };
        let text = reply.to_string();
        let reason = match status {
            200 => "OK",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            _ => "Gone",
        };
        write!(tls, "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}", text.len())?;
        tls.flush()?;
    }
}

fn failure(code: u16, reason: &str, message: &str) -> (u16, Value) {
    (code, json!({ "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code }))
}

fn route(state: &State, target: &str) -> (u16, Value) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query: BTreeMap<&str, &str> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts[..] {
        ["version"] => (200, json!({ "major": "1", "minor": "32", "gitVersion": "v1.32.0-fake", "platform": "linux/amd64" })),
        ["api"] => (200, json!({ "kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [] })),
        ["api", "v1"] => (200, json!({ "kind": "APIResourceList", "groupVersion": "v1", "resources": [] })),
        ["apis"] => {
            let groups: BTreeSet<&str> = KINDS.iter().map(|k| k.0).collect();
            let groups: Vec<Value> = groups
                .into_iter()
                .map(|g| json!({ "name": g, "versions": [{ "groupVersion": format!("{g}/v1beta1"), "version": "v1beta1" }], "preferredVersion": { "groupVersion": format!("{g}/v1beta1"), "version": "v1beta1" } }))
                .collect();
            (200, json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups }))
        }
        ["apis", group, version] => {
            let resources: Vec<Value> = KINDS
                .iter()
                .filter(|k| k.0 == group && k.1 == version)
                .map(|k| json!({ "name": k.3, "singularName": k.2.to_lowercase(), "namespaced": true, "kind": k.2, "verbs": ["get", "list", "watch"], "categories": ["hedgehog"] }))
                .collect();
            if resources.is_empty() {
                return failure(404, "NotFound", "the server could not find the requested resource");
            }
            (200, json!({ "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": format!("{group}/{version}"), "resources": resources }))
        }
        ["apis", group, version, "namespaces", _, plural] | ["apis", group, version, plural] => {
            let Some(&(_, _, kind, _)) = KINDS.iter().find(|k| k.0 == group && k.1 == version && k.3 == plural) else {
                return failure(404, "NotFound", "the server could not find the requested resource");
            };
            if state.unserved.contains(kind) {
                return failure(404, "NotFound", "the server could not find the requested resource");
            }
            if state.forbidden.contains(kind) {
                let message = format!("{plural}.{group} is forbidden: User \"hhsync-reader\" cannot list resource \"{plural}\" in API group \"{group}\" in the namespace \"default\"");
                return failure(403, "Forbidden", &message);
            }
            let current = state.resource_version.to_string();
            if let (Some(rv), Some(&"Exact")) = (query.get("resourceVersion"), query.get("resourceVersionMatch")) {
                if *rv != current || state.refuse_exact {
                    return failure(410, "Expired", &format!("too old resource version: {rv} ({current})"));
                }
            }
            let items: Vec<Value> = state.objects.iter().filter(|((k, _), _)| k == kind).map(|(_, o)| o.clone()).collect();
            (200, json!({ "apiVersion": format!("{group}/{version}"), "kind": format!("{kind}List"), "metadata": { "resourceVersion": current }, "items": items }))
        }
        _ => failure(404, "NotFound", "the server could not find the requested resource"),
    }
}
