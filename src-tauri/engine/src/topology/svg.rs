//! The fabric's picture as SVG, the same picture as the app's Topology tab.
//!
//! The app lays the topology out with ELK (elkjs) and draws it in its web view; a second layout
//! and drawing written here in Rust would drift from that one, and the issue asks for the same
//! picture. So the command line runs the web view's own code: `ui/src/diagram.ts` (layout.ts,
//! decorate.ts and diagramSvg.ts, with elkjs) bundled by `npm run build` into one script, which
//! `build.rs` places where this module includes it, run in QuickJS (rquickjs: a small
//! embeddable engine, compiled in, no Node or browser needed on the user's machine).
//!
//! The script needs only `setTimeout` (elkjs schedules its work with it) and `console`; both are
//! provided here, and the timers run in order once the promise jobs are drained. Memory is
//! capped so a hostile fabric cannot take the machine.

use rquickjs::{Context, Runtime};

use super::Topology;
use crate::cluster::DriftReport;
use crate::error::{Error, Result};

/// The bundle, or empty when the web view was not built before this binary.
const BUNDLE: &str = include_str!(concat!(env!("OUT_DIR"), "/hhsync-diagram.js"));

/// QuickJS's heap limit: ELK on 1,000 devices and 2,000 links stays well under it.
const MEMORY_LIMIT: usize = 1 << 30;
const STACK_LIMIT: usize = 16 << 20;

/// What the bundle finds in its global scope besides the language itself.
const PRELUDE: &str = r#"
var __timers = [];
globalThis.setTimeout = function (f, ms) { var args = Array.prototype.slice.call(arguments, 2); __timers.push(function () { f.apply(null, args); }); return __timers.length; };
globalThis.clearTimeout = function () {};
var __noop = function () {};
globalThis.console = { log: __noop, info: __noop, warn: __noop, error: __noop, debug: __noop };
var __result = null, __failure = null;
"#;

/// The topology drawn as the app draws it, marked with the cluster's word when `report` holds it.
pub fn render_svg(topology: &Topology, report: Option<&DriftReport>) -> Result<String> {
    if BUNDLE.is_empty() {
        return Err(Error::Internal {
            message: "this hhsync was built without the picture renderer: build the web view first (cd ui && npm run build), then rebuild hhsync".to_owned(),
        });
    }
    let failed = |what: &str, e: String| Error::Internal { message: format!("drawing the SVG: {what}: {e}") };
    let topology = serde_json::to_string(topology).map_err(|e| failed("topology to JSON", e.to_string()))?;
    let report = report.map(serde_json::to_string).transpose().map_err(|e| failed("report to JSON", e.to_string()))?;

    let runtime = Runtime::new().map_err(|e| failed("starting QuickJS", e.to_string()))?;
    runtime.set_memory_limit(MEMORY_LIMIT);
    runtime.set_max_stack_size(STACK_LIMIT);
    let context = Context::full(&runtime).map_err(|e| failed("starting QuickJS", e.to_string()))?;

    context.with(|ctx| -> Result<()> {
        let run = |source: &str, what: &str| -> Result<()> {
            ctx.eval::<(), _>(source).map_err(|e| failed(what, exception(&ctx, e)))
        };
        run(PRELUDE, "the prelude")?;
        run(BUNDLE, "loading the renderer")?;
        let globals = ctx.globals();
        globals.set("__topology", topology).map_err(|e| failed("passing the topology", e.to_string()))?;
        globals.set("__report", report).map_err(|e| failed("passing the report", e.to_string()))?;
        run(
            "globalThis.hhsyncDiagram(__topology, __report).then(function (svg) { __result = svg; }, function (e) { __failure = String(e && e.stack || e); });",
            "starting the drawing",
        )
    })?;

    // the event loop: promise jobs first, then the oldest timer, until nothing is left
    loop {
        while runtime.is_job_pending() {
            if let Err(e) = runtime.execute_pending_job() {
                let message = e.0.with(|ctx| exception(&ctx, rquickjs::Error::Exception));
                return Err(failed("laying out", message));
            }
        }
        let ran = context
            .with(|ctx| ctx.eval::<bool, _>("if (__timers.length) { __timers.shift()(); true } else { false }").map_err(|e| exception(&ctx, e)))
            .map_err(|e| failed("laying out", e))?;
        if !ran && !runtime.is_job_pending() {
            break;
        }
    }

    context.with(|ctx| {
        let globals = ctx.globals();
        if let Ok(Some(failure)) = globals.get::<_, Option<String>>("__failure") {
            return Err(failed("the renderer failed", failure));
        }
        match globals.get::<_, Option<String>>("__result") {
            Ok(Some(svg)) => Ok(svg),
            Ok(None) => Err(failed("the renderer", "finished without a picture".to_owned())),
            Err(e) => Err(failed("reading the picture", e.to_string())),
        }
    })
}

/// A QuickJS error in words: the thrown value's message and stack when it is an exception.
fn exception(ctx: &rquickjs::Ctx<'_>, e: rquickjs::Error) -> String {
    if !matches!(e, rquickjs::Error::Exception) {
        return e.to_string();
    }
    let thrown = ctx.catch();
    match thrown.as_exception() {
        Some(ex) => format!("{} {}", ex.message().unwrap_or_default(), ex.stack().unwrap_or_default()).trim().to_owned(),
        None => format!("{thrown:?}"),
    }
}
