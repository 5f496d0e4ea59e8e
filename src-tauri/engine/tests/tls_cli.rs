//! A repository served over https: the command line trusts the CA bundle OpenSSL is given
//! (`SSL_CERT_FILE`), though it loads it only when an https remote is first reached
//! (git/tls.rs), and refuses a server whose certificate no trusted CA signed.

mod common;
#[path = "common/http_git.rs"]
mod http_git;

use common::Env;
use http_git::GitHttpServer;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

/// A CA's certificate (PEM), with what it signs.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    Ca { cert: params.self_signed(&key).unwrap(), key }
}

#[test]
fn an_https_remote_is_trusted_through_the_given_ca_bundle_and_refused_without_it() {
    let env = Env::new();
    let server_yaml = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: s1\nspec:\n  description: over https\n";
    env.remote_with("srv/acme/fabric", &[("fab/managed/servers/s1.yaml", server_yaml)]);
    let trusted = ca("hhsync test CA");
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&server_key, &trusted.cert, &trusted.key)
        .unwrap();
    let write = |name: &str, text: String| {
        let path = env.path(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let (cert, key) = (write("server.pem", server_cert.pem()), write("server.key", server_key.serialize_pem()));
    let trusted_bundle = write("trusted.pem", trusted.cert.pem());
    let other_bundle = write("other.pem", ca("another CA").cert.pem());
    let server = GitHttpServer::start_tls(&env.path("srv"), &cert, &key);
    let url = server.https_url("acme/fabric.git");

    let bundle = [("SSL_CERT_FILE", trusted_bundle.to_str().unwrap())];
    let added = env.exec(&["repo", "add", "r", &url], None, &bundle);
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_eq!(env.exec(&["fabric", "add", "f", "--repo", "r", "--dir", "fab"], None, &bundle).code, 0);
    let pulled = env.exec(&["--json", "pull", "f"], None, &bundle);
    assert_eq!(pulled.code, 0, "{}", pulled.stderr);
    let shown = env.exec(&["show", "f", "Server/s1"], None, &bundle);
    assert!(shown.stdout.contains("description: over https"), "{}{}", shown.stdout, shown.stderr);

    // A bundle without the server's CA: refused, and said so.
    let refused = env.exec(&["repo", "add", "r2", &url], None, &[("SSL_CERT_FILE", other_bundle.to_str().unwrap())]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(refused.stderr.to_lowercase().contains("certificate"), "{}", refused.stderr);
}
