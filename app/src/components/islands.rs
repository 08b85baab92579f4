//! The `<head>` tags that load the wasm and hydrate the islands: what Leptos'
//! `HydrationScripts` writes in islands mode (preloads, then one module script), with our own
//! script (`islands.js`), which yields the main thread between the wasm's start and each
//! island so that hydration never blocks input for long on a slow phone.

use std::sync::LazyLock;

use leptos::prelude::*;

/// `islands.js` without its comment lines, a function expression waiting for its arguments.
static SCRIPT: LazyLock<String> = LazyLock::new(|| {
    include_str!("islands.js")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
});

/// Preloads the script and the wasm named by the build (content-hashed when `scripts/build`
/// wrote `pkg/hash.txt`) and starts the hydration once the browser is idle.
#[component]
pub fn IslandScripts(
    /// `/pkg/motcua.<hash>.js` (or the plain name of a development build).
    script: String,
    /// `/pkg/motcua.<hash>.wasm` (or `/pkg/motcua_bg.wasm`).
    wasm: String,
) -> impl IntoView {
    // As in Leptos' HydrationScripts: outside the islands, the server writes no hydration
    // markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let nonce = leptos::nonce::use_nonce();
    let code = format!("{}({script:?}, {wasm:?});", *SCRIPT);
    view! {
        <link rel="modulepreload" href=script.clone() crossorigin=""/>
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
        <script type="module" nonce=nonce>{code}</script>
    }
}
