//! SSH transport end to end: a real sshd on 127.0.0.1 with a temp host key; fetch and push
//! with a key file and through the SSH agent; a key the server does not accept and an unknown
//! host key each give their own message.

mod common;
#[path = "common/http_git.rs"]
mod http_git;
#[path = "common/sshd.rs"]
mod sshd;

use std::process::{Command, Stdio};

use common::Env;
use sshd::{keygen, Sshd};

#[test]
fn ssh_with_a_key_file_and_the_agent() {
    let env = Env::new();
    let (user_key, other_key) = (env.path("keys/user"), env.path("keys/other"));
    std::fs::create_dir_all(env.path("keys")).unwrap();
    keygen(&user_key);
    keygen(&other_key);
    let Some(server) = Sshd::start(&env.path("sshd"), std::slice::from_ref(&user_key)) else { return };
    let remote = env.remote_with("remote", &[("README.md", "fabrics\n")]);
    let url = server.url(&remote);
    let key = user_key.to_str().unwrap();

    // The host key is not known yet: refused, with a message saying so.
    let unknown = env.fail(1, &["repo", "add", "s0", &url, "--ssh-key", key]);
    assert!(unknown.contains("SSH host key") && unknown.contains("known_hosts"), "{unknown}");
    std::fs::create_dir_all(env.path("home/.ssh")).unwrap();
    std::fs::write(env.path("home/.ssh/known_hosts"), server.known_hosts_line()).unwrap();

    // A key file: add (fetch), init (push), pull someone else's commit.
    env.run(0, &["repo", "add", "s", &url, "--ssh-key", key]);
    env.run(0, &["fabric", "add", "f", "--repo", "s", "--dir", "fab"]);
    env.run(0, &["init", "f"]);
    assert_eq!(env.commit_count(&remote), 2, "init pushed over SSH");
    let work = env.other_clone(&remote, "colleague");
    env.write(&work, "notes.txt", "from a colleague\n");
    env.commit_push(&work, "colleague");
    env.run(0, &["pull", "f"]);
    assert_eq!(env.json(0, &["status", "f"])["synced_commit"], env.head(&remote).as_str());
    let check = env.json(0, &["repo", "check", "s"]);
    assert_eq!((check["authenticated"].as_bool(), check["can_push"].as_bool()), (Some(true), Some(true)), "{check}");

    // A key the server does not know.
    let refused = env.fail(1, &["repo", "add", "s2", &url, "--ssh-key", other_key.to_str().unwrap()]);
    assert!(refused.contains("refused the credentials") && refused.contains("SSH key is not accepted"), "{refused}");

    // The agent's keys.
    let sock = env.path("agent.sock");
    let mut agent = Command::new("ssh-agent").arg("-D").arg("-a").arg(&sock).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("ssh-agent");
    for _ in 0..100 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let added = Command::new("ssh-add").arg("-q").arg(&user_key).env("SSH_AUTH_SOCK", &sock).output().expect("ssh-add");
    assert!(added.status.success(), "ssh-add: {}", String::from_utf8_lossy(&added.stderr));
    let out = env.command(&["repo", "add", "a", &url, "--auth", "ssh"]).env("SSH_AUTH_SOCK", &sock).output().unwrap();
    assert!(out.status.success(), "agent: {}", String::from_utf8_lossy(&out.stderr));
    let _ = agent.kill();
    let _ = agent.wait();
}
