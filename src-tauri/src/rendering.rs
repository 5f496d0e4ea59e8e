//! How the web view paints on Linux. WebKitGTK paints the page with Skia on the GPU through
//! OpenGL. On a machine with no GPU render node (a virtual machine, a remote desktop, Xvfb) that
//! OpenGL is Mesa's software rasteriser, which is slower than Skia's own CPU painting. Measured
//! in WebKitGTK 2.50 under Xvfb on a 2-CPU machine, in frames/s where a page drawing nothing runs
//! at 62: a viewport-sized bitmap moved a frame (what the topology's pan does) ran at 34-39 with
//! GPU painting and at 58-60 with CPU painting; one pixel changed a frame, 53-56 against 60.
//! So where there is no render node, WebKit is told to paint on the CPU
//! (`WEBKIT_SKIA_ENABLE_CPU_RENDERING`, read by its processes as they start); with one, WebKit
//! chooses. A value the user set is left alone.
//!
//! Turning hardware acceleration off altogether (the settings' policy, or
//! `WEBKIT_DISABLE_COMPOSITING_MODE`) also ran at 62, but there WebKitWebDriver's screenshots
//! never return.

/// Where WebKit paints the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Painting {
    /// WebKit's own choice (the GPU where it has one).
    Default,
    /// On the CPU: there is no GPU to reach.
    Cpu,
}

const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Chooses the painting for this machine and tells WebKit. Call first thing in `main`: the
/// environment is changed, so no other thread may be running yet, and WebKit's processes read it
/// as they start.
pub fn choose() -> Painting {
    let webkit_gtk = cfg!(target_os = "linux");
    let painting = if !webkit_gtk
        || std::env::var_os(CPU_PAINTING).is_some()
        || has_render_node(std::path::Path::new("/dev/dri"))
    {
        Painting::Default
    } else {
        Painting::Cpu
    };
    if painting == Painting::Cpu {
        std::env::set_var(CPU_PAINTING, "1");
    }
    painting
}

/// A DRM render node (`renderD128`…) is how a process reaches a GPU without a display server.
fn has_render_node(dri: &std::path::Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_is_found_among_the_dri_devices() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dir.path()));
    }
}
