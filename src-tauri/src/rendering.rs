//! How the web view paints on Linux. WebKitGTK paints the page with Skia on the GPU through
//! OpenGL. On a machine with no GPU render node (no `/dev/dri/renderD*`: Xvfb, or a virtual
//! machine or remote desktop without one) that OpenGL is Mesa's software rasteriser, which is slower than Skia's own CPU painting. Measured
//! in WebKitGTK 2.50 under Xvfb on a 2-CPU machine, in frames/s where a page drawing nothing runs
//! at 62: a viewport-sized bitmap moved a frame (what the topology's pan does) ran at 34-39 with
//! GPU painting and at 58-60 with CPU painting; one pixel changed a frame, 53-56 against 60.
//! So where there is no render node, WebKit is told to paint on the CPU
//! (`WEBKIT_SKIA_ENABLE_CPU_RENDERING`, read by its processes as they start); with one, WebKit
//! chooses. A value the user set is left alone. Processes the app starts (a browser opened on a
//! pull request's page) inherit it.
//!
//! The layers are still composited with OpenGL, in Mesa's software rasteriser there. WebKitGTK
//! 2.50 composites the whole viewport each frame, whatever changed: a 954 x 60 canvas moved a
//! frame kept the web process at 123% of a CPU, nearly all of it in llvmpipe's threads. Its
//! `UseDamagingInformationForCompositing` feature composites only what changed (WebKitGTK 2.54
//! turns it on by default, with `UnifyDamagedRegions` off, so far-apart changes are not one
//! bounding box): 19-23% for the same page. So there the features are set as 2.54 has them,
//! through WebKit's feature API (2.42 and later: looked up at run time, so an older WebKit just
//! keeps its defaults). The web process reads them only as it creates the page, which the
//! window's first load has asked for before `setup` runs, so that process is replaced once, while
//! nothing of the page has arrived yet.
//!
//! In the app (the e2e's 1,000-device topology, with the picture in view all along): WebKit's
//! defaults panned at 40 frames/s fitted and 35 at reading size, a pixel changed a frame ran at
//! 47; painting on the CPU and compositing with damage, 57-60, 50-60 (the pan's bitmap opaque,
//! see panSnapshot.ts) and 60.
//!
//! The window then shows each frame through GTK 3, which by default draws in X server pixmaps: the
//! X server did that drawing, Xvfb at 35-47% of a CPU while the pan ran. There `GDK_RENDERING` is
//! `image` (unless the user set it): GTK draws in memory and sends the result, Xvfb fell to about
//! 5% and the app's own process rose to about 18%; frames over 20 ms in the e2e's fitted pan went
//! from 5-11 to 1-2 of 120; the pan at reading size, 50-60 frames/s over twelve runs before, 57-59
//! over nine after. (Over a remote X connection that sends whole images; such a display has no
//! render node either, and is not what this targets.)
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
/// How GTK 3 draws its windows' contents: in X server pixmaps by default (`similar`).
const GTK_RENDERING: &str = "GDK_RENDERING";

/// Chooses the painting for this machine and tells WebKit, whose processes read the environment
/// as they start. Call it first thing in `main`.
///
/// # Safety
/// It may change the environment: no other thread may be running.
pub unsafe fn choose() -> Painting {
    let painting = decide(
        cfg!(target_os = "linux"),
        std::env::var_os(CPU_PAINTING).is_some(),
        has_render_node(std::path::Path::new("/dev/dri")),
    );
    if painting == Painting::Cpu {
        std::env::set_var(CPU_PAINTING, "1");
        if std::env::var_os(GTK_RENDERING).is_none() {
            std::env::set_var(GTK_RENDERING, "image");
        }
    }
    painting
}

/// On the CPU only for WebKitGTK, with no GPU to reach, and no choice of the user's in the way.
fn decide(webkit_gtk: bool, user_chose: bool, render_node: bool) -> Painting {
    if webkit_gtk && !user_chose && !render_node {
        Painting::Cpu
    } else {
        Painting::Default
    }
}

/// The window's web view composites only what changed (see the top of this file), where painting
/// is on the CPU.
pub fn apply<R: tauri::Runtime>(painting: Painting, window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    if painting == Painting::Cpu {
        let url = window.url().map(|u| u.to_string()).ok();
        let result = window.with_webview(move |webview| {
            use webkit2gtk::glib::object::ObjectType;
            use webkit2gtk::WebViewExt;
            let view = webview.inner();
            let Some(settings) = WebViewExt::settings(&view) else { return };
            let features = [("UseDamagingInformationForCompositing", true), ("UnifyDamagedRegions", false)];
            // SAFETY: the pointer is a live WebKitSettings, held by `settings` for the call.
            match unsafe { features::set(settings.as_ptr().cast(), &features) } {
                Ok(0) => tracing::info!(?features, "web view compositing: none of these needed a change"),
                // The web process reads them as it creates the page, which the window's first load
                // has already asked for: while nothing of the page has arrived yet (this runs as
                // the event loop starts), that process is replaced and the page loaded again.
                // Later, that would lose the page's state: they wait for the next web process.
                Ok(_) => match (&url, view.main_resource()) {
                    (Some(url), None) => {
                        view.terminate_web_process();
                        view.load_uri(url);
                        tracing::info!(?features, "web view compositing");
                    }
                    _ => tracing::info!(?features, "web view compositing: from the next web process on"),
                },
                Err(missing) => tracing::info!("WebKit's feature API is missing ({missing}): its defaults stay"),
            }
        });
        if let Err(e) = result {
            tracing::warn!("could not reach the web view's settings: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (painting, window);
}

/// WebKitGTK's feature API (2.42 and later), which the webkit2gtk crate does not bind: looked up
/// in the loaded library, so the app still starts on an older WebKit.
#[cfg(target_os = "linux")]
mod features {
    use std::ffi::{c_char, c_int, c_void, CStr};

    type Ptr = *mut c_void;

    /// The symbol's address in the process, as a function of type `F`.
    ///
    /// SAFETY: `F` must be an `unsafe extern "C" fn` type with the symbol's C signature.
    unsafe fn symbol<F: Copy>(name: &CStr) -> Result<F, String> {
        const { assert!(std::mem::size_of::<F>() == std::mem::size_of::<*mut c_void>()) };
        let address = libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr());
        if address.is_null() {
            return Err(name.to_string_lossy().into_owned());
        }
        Ok(std::mem::transmute_copy(&address))
    }

    /// Sets each named feature that this WebKit has (the others are left alone); returns how many
    /// of them changed.
    ///
    /// SAFETY: `settings` is a live WebKitSettings.
    pub unsafe fn set(settings: Ptr, wanted: &[(&str, bool)]) -> Result<usize, String> {
        let all: unsafe extern "C" fn() -> Ptr = symbol(c"webkit_settings_get_all_features")?;
        let length: unsafe extern "C" fn(Ptr) -> usize = symbol(c"webkit_feature_list_get_length")?;
        let get: unsafe extern "C" fn(Ptr, usize) -> Ptr = symbol(c"webkit_feature_list_get")?;
        let identifier: unsafe extern "C" fn(Ptr) -> *const c_char = symbol(c"webkit_feature_get_identifier")?;
        let enabled: unsafe extern "C" fn(Ptr, Ptr) -> c_int = symbol(c"webkit_settings_get_feature_enabled")?;
        let enable: unsafe extern "C" fn(Ptr, Ptr, c_int) = symbol(c"webkit_settings_set_feature_enabled")?;
        let unref: unsafe extern "C" fn(Ptr) = symbol(c"webkit_feature_list_unref")?;
        let list = all();
        if list.is_null() {
            return Ok(0);
        }
        let mut changed = 0;
        for i in 0..length(list) {
            let feature = get(list, i);
            let id = identifier(feature);
            if id.is_null() {
                continue;
            }
            let id = CStr::from_ptr(id).to_string_lossy();
            if let Some((_, on)) = wanted.iter().find(|(name, _)| *name == id) {
                if (enabled(settings, feature) != 0) != *on {
                    enable(settings, feature, c_int::from(*on));
                    changed += 1;
                }
            }
        }
        unref(list);
        Ok(changed)
    }
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
    use super::{decide, has_render_node, Painting};

    #[test]
    fn the_cpu_paints_only_where_webkitgtk_has_no_gpu_and_the_user_did_not_choose() {
        assert_eq!(decide(true, false, false), Painting::Cpu);
        assert_eq!(decide(true, false, true), Painting::Default);
        assert_eq!(decide(true, true, false), Painting::Default);
        assert_eq!(decide(false, false, false), Painting::Default);
    }

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
