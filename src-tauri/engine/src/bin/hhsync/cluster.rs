//! `hhsync cluster set|show|unset`, `hhsync drift` and `hhsync adopt`: the fabric's cluster,
//! read-only; and `hhsync diagram`, the fabric's picture.

use serde_json::json;

use super::args::ClusterCommand;
use super::print::emit;
use super::Done;
use hhsync_engine::cluster::{AgentState, ClusterLink, ClusterState, DriftReport, DriftState, LldpState};
use hhsync_engine::engine::{DraftReport, Engine};
use hhsync_engine::error::{Error, Result};
use hhsync_engine::hedgehog::Kind;
use hhsync_engine::topology::DiagramFormat;

pub fn cluster(engine: &Engine, json: bool, command: &ClusterCommand) -> Result<Done> {
    let (fabric, link) = match command {
        ClusterCommand::Set { fabric, kubeconfig, context, namespace, token } => {
            let link = ClusterLink { kubeconfig: kubeconfig.display().to_string(), context: context.clone(), namespace: namespace.clone() };
            let token = super::remote::token_from(token.token_stdin, token.token_env.as_deref())?;
            (fabric, Some(engine.set_cluster(fabric, link, token.as_ref())?))
        }
        ClusterCommand::Show { fabric } => (fabric, engine.cluster(fabric)?),
        ClusterCommand::Unset { fabric } => {
            let had = engine.unset_cluster(fabric)?;
            if json {
                emit(&json!({ "fabric": fabric, "unset": had }));
            } else if had {
                println!("{fabric}: cluster link removed (the cluster is untouched)");
            } else {
                println!("{fabric}: no cluster was linked");
            }
            return Ok(Done::Ok);
        }
    };
    let token = link.is_some() && engine.cluster_has_token(fabric)?;
    if json {
        emit(&json!({ "fabric": fabric, "cluster": link, "token": if token { Some("stored in the keychain") } else { None } }));
    } else {
        match &link {
            Some(l) => println!(
                "{fabric}: kubeconfig {}, context {}, namespace {}{}",
                l.kubeconfig,
                l.context.as_deref().unwrap_or("(its current context)"),
                l.namespace(),
                if token { ", with a token kept in the keychain" } else { "" }
            ),
            None => println!("{fabric}: no cluster linked"),
        }
    }
    Ok(Done::Ok)
}

pub fn drift(engine: &Engine, json: bool, fabric: &str, kind: Option<&str>, offline: bool) -> Result<Done> {
    let kind = kind.map(|k| Kind::from_name(k).ok_or_else(|| Error::InvalidInput(format!("--kind {k:?}: not a Hedgehog kind")))).transpose()?;
    let report = engine.drift(fabric, kind, !offline)?;
    if json {
        emit(&report);
    } else {
        print_report(&report);
    }
    Ok(if report.cluster != ClusterState::Reachable {
        Done::Failed
    } else if report.drifts() {
        Done::Attention
    } else {
        Done::Ok
    })
}

fn print_report(report: &DriftReport) {
    let age = report.snapshot_at.as_deref().unwrap_or("never");
    match report.cluster {
        ClusterState::Reachable => println!("cluster read at {age}"),
        other => println!("cluster {}: showing the snapshot of {age}", serde_json::to_value(other).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
    }
    let mut in_sync = 0;
    for r in &report.resources {
        let what = match r.state {
            DriftState::InSync => {
                in_sync += 1;
                continue;
            }
            DriftState::Differs => format!("differs: {}", r.fields.join(", ")),
            DriftState::NotApplied => "in Git, not on the cluster (not applied yet)".to_owned(),
            DriftState::OnlyOnCluster => "on the cluster, not in Git".to_owned(),
            DriftState::Unknown => format!("unknown: {}", r.reason.as_deref().unwrap_or("")),
        };
        println!("  {}/{}: {what}{}", r.kind, r.name, if r.against_draft { " (against your draft)" } else { "" });
    }
    println!("{in_sync} of {} resources in sync", report.resources.len());
    for s in &report.switches {
        let agent = match (s.agent, s.heartbeat_age_s) {
            (AgentState::Missing, _) => "no agent".to_owned(),
            (state, Some(age)) => format!("agent {} (heartbeat {age}s ago)", if state == AgentState::Alive { "alive" } else { "stale" }),
            (_, None) => "agent stale (no heartbeat)".to_owned(),
        };
        let wrong: Vec<String> = s
            .links
            .iter()
            .filter(|l| l.lldp == LldpState::Wrong)
            .map(|l| format!("{} sees {} (Git: {})", l.port, l.seen.as_deref().unwrap_or("nothing"), l.expected))
            .collect();
        println!("  switch {}: {agent}, {}{}", s.name, if s.applied { "config applied" } else { "config not applied" }, if wrong.is_empty() { String::new() } else { format!(", cabling: {}", wrong.join("; ")) });
    }
}

pub fn adopted(json: bool, drafts: &[DraftReport]) -> Result<Done> {
    if json {
        emit(&json!({ "adopted": drafts }));
    } else if drafts.is_empty() {
        println!("nothing is only on the cluster: nothing to adopt");
    }
    for d in drafts.iter().filter(|_| !json) {
        let errors = if d.errors.is_empty() { String::new() } else { format!(", {} errors to fix", d.errors.len()) };
        println!("adopted {}/{} as a draft{errors}", d.kind, d.name);
    }
    Ok(if drafts.iter().any(|d| !d.errors.is_empty()) { Done::Attention } else { Done::Ok })
}

pub fn diagram(engine: &Engine, json: bool, fabric: &str, format: &str, out: Option<&std::path::Path>) -> Result<Done> {
    let names = || DiagramFormat::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
    let Some(format) = DiagramFormat::from_name(format) else {
        return Err(Error::InvalidInput(format!("--format {format:?}: formats are {}", names())));
    };
    let topology = engine.topology(fabric)?;
    // ELK in QuickJS takes seconds at a few hundred devices (about 5 s at 1,000): say so on
    // stderr rather than sit silent.
    if format == DiagramFormat::Svg && topology.nodes.len() > 200 {
        eprintln!("laying out {} devices and {} links for the SVG…", topology.nodes.len(), topology.edges.len());
    }
    let text = engine.draw_diagram(fabric, &topology, format)?;
    match out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| Error::io(path, e))?;
            if json {
                emit(&json!({ "format": format.name(), "out": path, "nodes": topology.nodes.len(), "edges": topology.edges.len(), "problems": topology.problems.len() }));
            } else {
                println!("wrote {} ({} nodes, {} edges)", path.display(), topology.nodes.len(), topology.edges.len());
            }
        }
        None if json => emit(&json!({ "format": format.name(), "diagram": text, "nodes": topology.nodes.len(), "edges": topology.edges.len(), "problems": topology.problems.len() })),
        None => print!("{text}"),
    }
    Ok(if topology.problems.is_empty() { Done::Ok } else { Done::Attention })
}
