//! The collapsible main navigation: an island, so it is the only part of the header that
//! ships WebAssembly. Without JavaScript the menu is simply always open.

use leptos::prelude::*;

/// A toggle button for the navigation on narrow screens. The button appears only once the
/// island is hydrated; until then (or with JavaScript off) the links stay visible.
#[island]
pub fn NavMenu(
    /// Accessible label of the toggle button, already translated.
    label: String,
    /// The navigation links (rendered on the server).
    children: Children,
) -> impl IntoView {
    let (open, set_open) = signal(false);
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    view! {
        <button
            type="button"
            class="nav-toggle"
            aria-controls="main-nav-panel"
            aria-expanded=move || open.get().to_string()
            hidden=move || !ready.get()
            data-ready=move || ready.get().to_string()
            on:click=move |_| set_open.update(|o| *o = !*o)
        >
            <span class="nav-toggle-icon" aria-hidden="true"></span>
            {label}
        </button>
        <div id="main-nav-panel" class="nav-panel" class:collapsed=move || ready.get() && !open.get()>
            {children()}
        </div>
    }
}
