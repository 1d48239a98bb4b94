//! Settings the web view must have before it starts.
//!
//! WebKitGTK composites pages with OpenGL. Where there is no GPU (virtual machines, remote
//! desktops, Xvfb) that is Mesa's software rasterizer, whose compositor thread was seen crashing
//! the web process (`segfault ... in swrast_dri.so`) while a map was dragged. Without a GPU render
//! node the app turns accelerated compositing off: pages are painted by the CPU, which is what
//! software GL amounts to anyway, without its crash.

/// Applies the web view's environment; call before the first window is built.
pub fn prepare() {
    #[cfg(target_os = "linux")]
    linux::prepare();
}

#[cfg(target_os = "linux")]
mod linux {
    /// WebKitGTK's switch for accelerated compositing.
    const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

    pub fn prepare() {
        if std::env::var_os(DISABLE_COMPOSITING).is_some() {
            return; // the user decided
        }
        let software_asked = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v == "1");
        if software_asked || !has_render_node() {
            tracing::info!("no GPU render node: WebKit's accelerated compositing is off");
            // Set before any thread of WebKit's exists: nothing reads the environment yet.
            std::env::set_var(DISABLE_COMPOSITING, "1");
        }
    }

    /// Whether a DRM render node (a GPU the web process may use) exists.
    fn has_render_node() -> bool {
        std::fs::read_dir("/dev/dri")
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
            })
            .unwrap_or(false)
    }
}
