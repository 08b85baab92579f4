//! The collapsible main navigation: an island, so it is the only part of the header that
//! ships WebAssembly. Without JavaScript the menu is simply always open.

use leptos::prelude::*;

/// A toggle button for the navigation on narrow screens. With JavaScript off the button is
/// not shown and the links stay visible. With JavaScript on, the shell's first script marks
/// `<html class="js">` before anything is drawn, so the style sheet folds the links away from
/// the first paint (nothing moves when the island hydrates; see style/layout.css).
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
            data-ready=move || ready.get().to_string()
            on:click=move |_| set_open.update(|o| *o = !*o)
        >
            <span class="nav-toggle-icon" aria-hidden="true"></span>
            {label}
        </button>
        <div id="main-nav-panel" class="nav-panel" class:open=move || open.get()>
            {children()}
        </div>
    }
}
