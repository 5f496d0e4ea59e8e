//! The `hhsync` command line: argument parsing, and printing results for people or, with
//! `--json`, as one JSON document on stdout. Exit status: 0 done, 1 failed (the message on
//! stderr says what and where), 2 usage, 3 done but something needs attention.
//!
//! A binary of its own over the engine's public API, not a module of the library: clap and the
//! log subscriber are the shell's dependencies (the `cli` feature), not the engine API's.

mod args;
mod cluster;
mod hints;
mod print;
mod remote;

/// See the engine's Cargo.toml for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use hhsync_engine::engine::{validate_file, ConflictDetail, Engine, PushRequest, Resolution, Trigger};
use hhsync_engine::hedgehog::ResourceId;
use hhsync_engine::sync::merge::Side;
use hhsync_engine::error::Result;
use args::{Cli, Command, FabricCommand, RepoCommand};

/// How a command ended.
pub enum Done {
    Ok,
    Attention,
    /// The result is printed, but the work could not be done (exit 1).
    Failed,
}

fn main() -> ExitCode {
    // SAFETY: first thing in main, before any other thread exists.
    unsafe { hhsync_engine::git::defer_ca_certificates() };
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    hhsync_engine::logging::init();
    match run(&cli) {
        Ok(Done::Ok) => ExitCode::SUCCESS,
        Ok(Done::Attention) => ExitCode::from(3),
        Ok(Done::Failed) => ExitCode::from(1),
        Err(e) => {
            let _ = std::io::stdout().flush();
            eprintln!("error: {e}");
            if let Some(hint) = hints::hint(&e) {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(1)
        }
    }
}

/// `PATH=ours|theirs` for per-field resolution.
fn parse_field_choice(text: &str) -> Result<(String, Side)> {
    let (path, side) = text
        .rsplit_once('=')
        .ok_or_else(|| hhsync_engine::Error::InvalidInput(format!("--field {text:?}: write PATH=ours or PATH=theirs")))?;
    let side = match side {
        "ours" => Side::Ours,
        "theirs" => Side::Theirs,
        other => return Err(hhsync_engine::Error::InvalidInput(format!("--field {path}: {other:?} is neither ours nor theirs"))),
    };
    Ok((path.to_owned(), side))
}

/// An optional `KIND/NAME` argument.
fn parse_optional(resource: &Option<String>) -> Result<Option<ResourceId>> {
    resource.as_deref().map(str::parse).transpose()
}

/// Before replacing a resource with one whole side: names on stderr what that drops.
fn warn_whole_drops(conflicts: &[ConflictDetail], resource: &ResourceId, side: Side) -> Result<()> {
    let Some(c) = conflicts.iter().find(|c| c.conflict.kind == resource.kind.name() && c.conflict.name == resource.name) else { return Ok(()) };
    let (drops, whose) = match side {
        Side::Ours => (&c.whole_ours_drops, "upstream"),
        Side::Theirs => (&c.whole_theirs_drops, "your"),
    };
    if !drops.is_empty() {
        eprintln!("warning: replacing {resource} with the whole {} version drops {whose} changes to: {}", if side == Side::Ours { "local" } else { "upstream" }, drops.join(", "));
    }
    Ok(())
}

fn run(cli: &Cli) -> Result<Done> {
    // A loose file needs no data directory.
    if let Command::Validate { fabric: None, file: Some(path) } = &cli.command {
        let report = validate_file(path)?;
        return print::validation(cli.json, &report);
    }
    let data_dir = match &cli.data_dir {
        Some(dir) => dir.clone(),
        None => Engine::default_data_dir()?,
    };
    let engine = Engine::open(&data_dir)?;
    let json = cli.json;
    match &cli.command {
        Command::Repo { command } => match command {
            command @ (RepoCommand::Add { .. }
            | RepoCommand::Login { .. }
            | RepoCommand::Logout { .. }
            | RepoCommand::Check { .. }
            | RepoCommand::WebhookSecret { .. }) => remote::repo(&engine, json, command).unwrap_or(Ok(Done::Ok)),
            RepoCommand::List => print::repos(json, &engine.repos()?),
            RepoCommand::Remove { name } => {
                engine.remove_repo(name)?;
                print::removed(json, "repository", name)
            }
        },
        Command::Fabric { command } => match command {
            FabricCommand::Add { name, repo, dir, branch } => print::fabric(json, &engine.add_fabric(name, repo, dir, branch.as_deref())?),
            FabricCommand::List => print::fabrics(json, &engine.fabrics()?),
            FabricCommand::Remove { name } => {
                engine.remove_fabric(name)?;
                print::removed(json, "fabric", name)
            }
        },
        Command::Init { fabric } => print::init(json, &engine.init(fabric, Trigger::Cli)?),
        Command::Ingest { fabric, dry_run } => print::ingest(json, &engine.ingest(fabric, *dry_run, Trigger::Cli)?),
        Command::Validate { fabric: Some(fabric), file: None } => print::validation(json, &engine.validate_fabric(fabric)?),
        Command::Validate { .. } => Err(hhsync_engine::Error::InvalidInput("give either a FABRIC or --file PATH".to_owned())),
        Command::Pull { fabric } => print::pull(json, &engine.pull(fabric, Trigger::Cli)?),
        Command::Status { fabric } => print::status(json, &engine.status(fabric)?),
        Command::Resources { fabric, kind, status } => print::resources(json, &engine.resources(fabric, kind.as_deref(), status.as_deref())?),
        Command::Show { fabric, resource } => print::show(json, &engine.show(fabric, &resource.parse()?)?),
        Command::Log { fabric, limit } => print::log(json, &engine.log(fabric, *limit)?),
        Command::Edit { fabric, resource, file } => {
            let (text, source) = match file {
                Some(path) => (std::fs::read_to_string(path).map_err(|e| hhsync_engine::Error::io(path, e))?, path.display().to_string()),
                None => {
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| hhsync_engine::Error::io("standard input", e))?;
                    (text, "standard input".to_owned())
                }
            };
            print::draft(json, &engine.edit(fabric, &resource.parse()?, &text, &source)?)
        }
        Command::Delete { fabric, resource } => print::draft(json, &engine.delete(fabric, &resource.parse()?)?),
        Command::Discard { fabric, resource, .. } => print::discarded(json, &engine.discard(fabric, parse_optional(resource)?.as_ref())?),
        Command::Diff { fabric, resource } => print::diff(json, &engine.diff(fabric, parse_optional(resource)?.as_ref())?),
        Command::Push { fabric, message, branch, only, allow_invalid, pr, title, body } => {
            let request = PushRequest { message: message.clone(), branch: branch.clone(), only: only.iter().map(|o| o.parse()).collect::<Result<_>>()?, allow_invalid: *allow_invalid };
            remote::push(&engine, json, fabric, request, *pr, title.as_deref(), body.as_deref())
        }
        Command::Conflicts { fabric, history } => print::conflicts(json, &engine.conflicts(fabric, *history)?),
        Command::Resolve { fabric, all: true, take, whole, .. } => {
            let side = |text: &str| if text == "ours" { Side::Ours } else { Side::Theirs };
            let resolution = match (take.as_deref(), whole.as_deref()) {
                (Some(t), None) => if side(t) == Side::Ours { Resolution::Ours } else { Resolution::Theirs },
                (None, Some(w)) => Resolution::Whole(side(w)),
                _ => return Err(hhsync_engine::Error::InvalidInput("--all goes with --take ours|theirs or --whole ours|theirs".to_owned())),
            };
            let open = engine.conflicts(fabric, false)?;
            let mut choices = Vec::new();
            for c in &open {
                let id = ResourceId::from_parts(&c.conflict.kind, &c.conflict.name)?;
                if let Resolution::Whole(s) = resolution {
                    warn_whole_drops(&open, &id, s)?;
                }
                choices.push((id, resolution.clone()));
            }
            if choices.is_empty() {
                return print::drafts(json, &[]);
            }
            print::drafts(json, &engine.resolve_many(fabric, choices, Trigger::Cli)?)
        }
        Command::Resolve { fabric, resource, take, whole, file, field, .. } => {
            let resource: ResourceId = resource.as_deref().unwrap_or_default().parse()?;
            if let Some(side) = whole.as_deref() {
                let side = if side == "ours" { Side::Ours } else { Side::Theirs };
                warn_whole_drops(&engine.conflicts(fabric, false)?, &resource, side)?;
                return print::draft(json, &engine.resolve(fabric, &resource, Resolution::Whole(side), Trigger::Cli)?);
            }
            let resolution = match (take.as_deref(), file, field.is_empty()) {
                (Some("ours"), None, true) => Resolution::Ours,
                (Some("theirs"), None, true) => Resolution::Theirs,
                (None, Some(path), true) => Resolution::Text {
                    text: std::fs::read_to_string(path).map_err(|e| hhsync_engine::Error::io(path, e))?,
                    source: path.display().to_string(),
                },
                (None, None, false) => Resolution::Fields(field.iter().map(|f| parse_field_choice(f)).collect::<Result<_>>()?),
                _ => return Err(hhsync_engine::Error::InvalidInput("give one of --take ours|theirs, --whole ours|theirs, --file PATH or --field PATH=ours|theirs".to_owned())),
            };
            print::draft(json, &engine.resolve(fabric, &resource, resolution, Trigger::Cli)?)
        }
        Command::Revert { fabric, operation } => print::revert(json, &engine.revert(fabric, *operation, Trigger::Cli)?),
        Command::Proposals { fabric, refresh: false } => print::proposal_views(json, &engine.proposal_views(fabric)?),
        Command::Proposals { fabric, refresh: true } => print::proposal_views(json, &engine.refresh_pull_requests(fabric, Trigger::Cli)?),
        Command::Watch { fabric, interval, webhook_port } => remote::watch_command(&engine, json, fabric, *interval, *webhook_port),
        Command::Abandon { fabric, branch } => print::proposals(json, &[engine.abandon(fabric, branch)?]),
        Command::Config { key, value, unset } => {
            match (key, value, unset) {
                (Some(k), Some(v), false) => engine.set_setting(k, Some(v))?,
                (Some(k), None, true) => engine.set_setting(k, None)?,
                _ => {}
            }
            print::settings(json, &engine.settings()?, key.as_deref())
        }
        Command::Demo => print::demo(json, &engine.ensure_demo()?, &engine),
        Command::Cluster { command } => cluster::cluster(&engine, json, command),
        Command::Drift { fabric, kind, offline } => cluster::drift(&engine, json, fabric, kind.as_deref(), *offline),
        Command::Diagram { fabric, format, out } => cluster::diagram(&engine, json, fabric, format, out.as_deref()),
        Command::Adopt { fabric, resources, all } => {
            let ids: Vec<ResourceId> = resources.iter().map(|r| r.parse()).collect::<Result<_>>()?;
            cluster::adopted(json, &engine.adopt(fabric, (!*all).then_some(ids.as_slice()))?)
        }
    }
}
