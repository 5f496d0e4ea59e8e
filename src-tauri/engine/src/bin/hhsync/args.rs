//! The command-line contract. Other tools and tests depend on these names: change them only
//! by adding.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "hhsync", version, about = "Keep Hedgehog fabric resources in sync between your desktop and Git")]
pub struct Cli {
    /// Data directory (database and clones); default: $HHSYNC_DATA_DIR, else the OS data dir.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON document on stdout and nothing else there.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Git repositories holding fabrics.
    Repo {
        #[command(subcommand)]
        command: RepoCommand,
    },
    /// Fabrics: a directory of a repository's branch.
    Fabric {
        #[command(subcommand)]
        command: FabricCommand,
    },
    /// Create or repair the fabric's GitOps directory structure.
    Init { fabric: String },
    /// Sort the documents in raw/ into managed/ and unmanaged/, as one commit.
    Ingest {
        fabric: String,
        /// Say what would happen; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Validate a fabric, or a loose YAML file with --file.
    Validate {
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        fabric: Option<String>,
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Fetch and apply what changed in Git.
    Pull { fabric: String },
    /// The fabric's sync state and counts.
    Status { fabric: String },
    /// List the fabric's resources.
    Resources {
        fabric: String,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one resource (KIND/NAME).
    Show { fabric: String, resource: String },
    /// The fabric's sync operations, newest first.
    Log {
        fabric: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Save a resource's text as a draft (from --file or stdin); creates it if new.
    Edit {
        fabric: String,
        resource: String,
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Mark a resource for deletion (a draft until pushed).
    Delete { fabric: String, resource: String },
    /// Drop the draft of one resource, or of all with --all.
    Discard {
        fabric: String,
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        resource: Option<String>,
        #[arg(long)]
        all: bool,
    },
    /// What a push would change (drafts against Git).
    Diff { fabric: String, resource: Option<String> },
    /// Commit the drafts and push them (to the fabric's branch, or a new branch).
    Push {
        fabric: String,
        #[arg(short, long)]
        message: Option<String>,
        /// Push to a new branch; without a name one is generated from the fabric and the change.
        #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "NAME")]
        branch: Option<String>,
        /// Push only these resources (KIND/NAME), repeatable.
        #[arg(long, num_args = 1.., value_name = "KIND/NAME")]
        only: Vec<String>,
        /// Push drafts that fail validation.
        #[arg(long)]
        allow_invalid: bool,
        /// Open a GitHub pull request from the branch (implies --branch; prints its URL).
        #[arg(long)]
        pr: bool,
        /// Title of the pull request (default: the commit's summary).
        #[arg(long, requires = "pr")]
        title: Option<String>,
        /// Body of the pull request (default: what changed, listing the resources).
        #[arg(long, requires = "pr")]
        body: Option<String>,
    },
    /// Open conflicts (with --history, resolved ones too).
    Conflicts {
        fabric: String,
        #[arg(long)]
        history: bool,
    },
    /// Resolve a conflict: take a side for the conflicting fields (changes only one side made
    /// are kept), replace the whole resource with one side, choose per field, or give the text.
    Resolve {
        fabric: String,
        /// KIND/NAME; or --all for every open conflict of the fabric.
        #[arg(required_unless_present = "all")]
        resource: Option<String>,
        /// Every open conflict of the fabric, in one operation (with --take or --whole).
        #[arg(long, conflicts_with_all = ["resource", "file", "field"])]
        all: bool,
        #[arg(long, value_parser = ["ours", "theirs"], conflicts_with_all = ["file", "field", "whole"])]
        take: Option<String>,
        /// The whole resource as one side has it, dropping the other side's changes (named on
        /// stderr), including those that did not conflict.
        #[arg(long, value_parser = ["ours", "theirs"], conflicts_with_all = ["file", "field"])]
        whole: Option<String>,
        #[arg(long, value_name = "PATH", conflicts_with = "field")]
        file: Option<PathBuf>,
        /// FIELD=ours|theirs for each conflicting field, repeatable.
        #[arg(long, value_name = "PATH=SIDE")]
        field: Vec<String>,
    },
    /// Undo what a push or ingest changed, as a new commit.
    Revert { fabric: String, operation: i64 },
    /// Drafts pushed to branches, waiting to be merged.
    Proposals {
        fabric: String,
        /// Ask GitHub for the state of their pull requests first (merged: pull; closed: abandon).
        #[arg(long)]
        refresh: bool,
    },
    /// Watch the remote: pull whenever the fabric's branch moves; runs until interrupted.
    /// With --json the events are JSON lines on stderr and stdout gets one summary at the end.
    Watch {
        fabric: String,
        /// Seconds between checks of the remote's refs (default: setting watch.interval, else 60).
        #[arg(long, value_name = "S", value_parser = clap::value_parser!(u64).range(1..=86400))]
        interval: Option<u64>,
        /// Also receive GitHub push webhooks on 127.0.0.1:P (0: any free port), signed with the
        /// repository's webhook secret.
        #[arg(long, value_name = "P")]
        webhook_port: Option<u16>,
    },
    /// Stop waiting on a proposal; its drafts stay drafts.
    Abandon { fabric: String, branch: String },
    /// Show or change settings (author.name, author.email).
    Config {
        key: Option<String>,
        value: Option<String>,
        /// Reset KEY to its default.
        #[arg(long, requires = "key", conflicts_with = "value")]
        unset: bool,
    },
    /// Create a demo workspace: a local repository with the virtual-lab fabric in raw/.
    Demo,
    /// The fabric's cluster (read-only): link it through a kubeconfig, show or remove the link.
    Cluster {
        #[command(subcommand)]
        command: ClusterCommand,
    },
    /// What the cluster runs against Git and drafts, per resource and field, and each switch's
    /// agent and cabling. Exit status: 0 all in sync, 3 something drifts, 1 the cluster cannot
    /// be read (the report is then from the last snapshot).
    Drift {
        fabric: String,
        /// Only this kind (switches are reported with Switch).
        #[arg(long)]
        kind: Option<String>,
        /// Use the last snapshot; do not read the cluster.
        #[arg(long)]
        offline: bool,
    },
    /// The fabric's topology as a diagram: switches in tiers, servers, externals and the links
    /// between them, from the resources (drafts included).
    Diagram {
        fabric: String,
        /// svg (the app's picture), dot (Graphviz), mermaid, or drawio.
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Turn resources that are only on the cluster into drafts (push them to bring them under Git).
    Adopt {
        fabric: String,
        /// KIND/NAME of each resource to adopt.
        #[arg(value_name = "KIND/NAME", required_unless_present = "all", conflicts_with = "all")]
        resources: Vec<String>,
        /// Every resource that is only on the cluster.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Link FABRIC to a cluster: the kubeconfig's own credentials (certificates, tokens, exec
    /// plugins) and CA are used.
    Set {
        fabric: String,
        #[arg(long, value_name = "PATH")]
        kubeconfig: PathBuf,
        /// Context in the kubeconfig; default: its current context.
        #[arg(long)]
        context: Option<String>,
        /// Namespace of the Hedgehog objects; default: default.
        #[arg(long)]
        namespace: Option<String>,
        /// A bearer token for the cluster instead of the kubeconfig user's credentials; it is
        /// kept in the OS keychain.
        #[command(flatten)]
        token: TokenSource,
    },
    Show { fabric: String },
    /// Remove the link and the last snapshot read through it.
    Unset { fabric: String },
}

#[derive(Debug, Subcommand)]
pub enum RepoCommand {
    /// Add a repository: a local path, file://, https:// (token) or ssh URL.
    Add {
        name: String,
        url: String,
        #[arg(long, default_value = "main")]
        branch: String,
        /// How to authenticate (default: token when a token is given, ssh with --ssh-key, else none).
        #[arg(long, value_parser = ["none", "token", "ssh"])]
        auth: Option<String>,
        #[command(flatten)]
        token: TokenSource,
        /// GitHub API base URL, for GitHub Enterprise (https://HOST/api/v3).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// SSH private key file (default: the SSH agent).
        #[arg(long, value_name = "PATH")]
        ssh_key: Option<PathBuf>,
    },
    List,
    /// Forget a repository, its local clone and its keychain entries; the remote is untouched.
    Remove { name: String },
    /// Store (or replace) the repository's token in the system keychain.
    Login {
        name: String,
        #[command(flatten)]
        token: RequiredTokenSource,
    },
    /// Remove the repository's token from the system keychain.
    Logout { name: String },
    /// Check reachability, authentication and push permission.
    Check { name: String },
    /// Store the secret that signs the repository's GitHub webhooks (for `watch --webhook-port`).
    WebhookSecret {
        name: String,
        /// Read the secret from standard input.
        #[arg(long, conflicts_with = "secret_env", required_unless_present = "secret_env")]
        secret_stdin: bool,
        /// Read the secret from this environment variable.
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
    },
}

/// Where a token comes from: never the command line itself (it would be in the shell history
/// and the process list).
#[derive(Debug, clap::Args)]
pub struct TokenSource {
    /// Read the token from standard input.
    #[arg(long, conflicts_with = "token_env")]
    pub token_stdin: bool,
    /// Read the token from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct RequiredTokenSource {
    /// Read the token from standard input.
    #[arg(long, conflicts_with = "token_env", required_unless_present = "token_env")]
    pub token_stdin: bool,
    /// Read the token from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum FabricCommand {
    Add {
        name: String,
        #[arg(long)]
        repo: String,
        /// The GitOps directory inside the repository, e.g. gitops/hedgehog/fabric-1.
        #[arg(long, value_name = "PATH")]
        dir: String,
        /// Branch; default: the repository's.
        #[arg(long)]
        branch: Option<String>,
    },
    List,
    /// Forget a fabric's local state; the remote is untouched.
    Remove { name: String },
}
