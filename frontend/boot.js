// Starts the Kyros shell. A file of its own (not Trunk's inline loader) so the
// Content-Security-Policy needs no 'unsafe-inline' for scripts. Trunk writes the
// hashed names of the wasm-bindgen module and the .wasm file into the data attributes
// of the <script> tag that loads this file (see `pattern_script` in Trunk.toml).
const boot = document.querySelector("script[data-kyros-js]");
const { default: init } = await import(boot.dataset.kyrosJs);
await init({ module_or_path: boot.dataset.kyrosWasm });
