//! Browser entry point: hydrates what the server rendered. Owns nothing else; all views live in `app`.

// The release build computes the layout of deeply nested view types.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
