//! Repository and API URLs are judged on their parsed form, through the real `hhsync` binary
//! (issue K): credentials in a URL are refused in any scheme and any scheme case, without being
//! repeated, stored or logged; and a token never goes over plain HTTP to a host hidden behind
//! `?@localhost` or `#@localhost`. Every refusal here comes before any network I/O: the only
//! addresses that could be reached are closed ports on 127.0.0.1.

mod common;
#[path = "common/http_git.rs"]
mod http_git;

use std::process::Stdio;

use common::{all_files, Env};
use http_git::closed_port;

const TOKEN: &str = "ghs_UrlT0ken0123456789abcdefABCDEFgh";

/// One run of hhsync with HHSYNC_LOG=trace (so a logged secret would show): exit code, stdout
/// and stderr.
fn hhsync(env: &Env, args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = env
        .command(args)
        .env("HHSYNC_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn hhsync");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("wait for hhsync");
    let _ = writer.join();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// The token is in no file under the test's temp dir: data dir (SQLite, clones), HOME, XDG.
fn assert_token_in_no_file(env: &Env) {
    let mut files = Vec::new();
    all_files(env.tmp.path(), &mut files);
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "the token is in {}", f.display());
    }
}

#[test]
fn credentials_in_urls_are_refused_in_any_scheme_and_case_and_never_stored_or_echoed() {
    let env = Env::new();
    let port = closed_port();
    let urls = [
        format!("HTTP://user:{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("HTTPS://user:{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("Https://{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("http://{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("ssh://git:{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("SSH://git:{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("git://user:{TOKEN}@127.0.0.1:{port}/acme/fabric.git"),
        format!("file://user:{TOKEN}@localhost/srv/acme/fabric.git"),
        format!("git:{TOKEN}@127.0.0.1:acme/fabric.git"),
    ];
    for url in &urls {
        for extra in [&[][..], &["--token-stdin"][..]] {
            let mut args = vec!["repo", "add", "r", url.as_str()];
            args.extend_from_slice(extra);
            let (code, stdout, stderr) = hhsync(&env, &args, "ghs_AnotherT0kenFromStdin0123456789");
            assert_eq!(code, 1, "{url} {extra:?}\nstdout: {stdout}\nstderr: {stderr}");
            assert!(
                stderr.contains("holds a user name or token") || stderr.contains("is not a valid URL"),
                "{url} {extra:?}: {stderr}"
            );
            assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN), "{url} {extra:?} echoed the token:\n{stdout}\n{stderr}");
        }
    }
    let (code, list, stderr) = hhsync(&env, &["--json", "repo", "list"], "");
    assert_eq!((code, list.trim()), (0, "[]"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    assert!(env.data_dir().join("hhsync.sqlite3").exists(), "the database was there to be searched");
    assert_token_in_no_file(&env);
}

#[test]
fn urls_without_credentials_pass_the_check_in_any_scheme_case() {
    let env = Env::new();
    let port = closed_port();
    // They get as far as the network (a closed port on this machine): the URL itself is fine,
    // and is kept in its parsed form (lower-case scheme).
    let cases = [
        (format!("HTTP://127.0.0.1:{port}/acme/fabric.git"), format!("http://127.0.0.1:{port}/acme/fabric.git")),
        (format!("ssh://git@127.0.0.1:{port}/acme/fabric.git"), format!("ssh://git@127.0.0.1:{port}/acme/fabric.git")),
    ];
    for (url, as_used) in cases {
        let (code, _, stderr) = hhsync(&env, &["repo", "add", "r", &url], "");
        assert_eq!(code, 1, "{url}: {stderr}");
        let error = stderr.lines().find(|l| l.starts_with("error:")).unwrap_or_default();
        assert!(error.contains(&as_used) && !error.contains("holds a user name") && !error.contains("not a valid URL"), "{url}: {stderr}");
    }
}

#[test]
fn a_host_hidden_behind_a_query_or_fragment_gets_no_token_over_plain_http() {
    let env = Env::new();
    let repo = format!("http://127.0.0.1:{}/acme/fabric.git", closed_port());
    // The GitHub API URL: 192.0.2.2 is the host, whatever follows `?` or `#`.
    for api in ["http://192.0.2.2:18094?@localhost", "http://192.0.2.2:18094#@localhost", "http://192.0.2.2:18094/", "HTTP://192.0.2.2:18094"] {
        let (code, stdout, stderr) = hhsync(&env, &["repo", "add", "r", &repo, "--token-stdin", "--api-url", api], TOKEN);
        assert_eq!(code, 1, "{api}\nstdout: {stdout}\nstderr: {stderr}");
        assert!(stderr.contains("GitHub API URL") || stderr.contains("plain HTTP"), "{api}: {stderr}");
        assert!(stderr.contains("192.0.2.2") && !stderr.contains("cannot reach"), "refused before any connection: {api}: {stderr}");
        assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));
    }
    // The repository URL itself.
    for url in ["http://192.0.2.2:18094?@localhost/acme/fabric.git", "http://192.0.2.2:18094#@localhost/acme/fabric.git"] {
        let (code, _, stderr) = hhsync(&env, &["repo", "add", "r", url, "--token-stdin"], TOKEN);
        assert_eq!(code, 1, "{url}: {stderr}");
        assert!(stderr.contains("refusing to send a token over plain HTTP") && stderr.contains("192.0.2.2"), "{url}: {stderr}");
    }
    let (code, list, _) = hhsync(&env, &["--json", "repo", "list"], "");
    assert_eq!((code, list.trim()), (0, "[]"));
    assert_token_in_no_file(&env);
}
