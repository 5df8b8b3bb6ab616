//! Bindings to the global `echarts` object loaded from `/echarts.min.js` (npm `echarts`).
//!
//! Every call is `catch`: a missing script or a rejected option becomes an `Err`
//! the chart card can show, never a panic of the whole shell.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance bound to one DOM element.
    pub type ECharts;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn echarts_init(element: &web_sys::HtmlElement) -> Result<ECharts, JsValue>;

    #[wasm_bindgen(catch, method, js_name = setOption)]
    fn set_option_js(this: &ECharts, option: &JsValue, not_merge: bool) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method)]
    fn resize(this: &ECharts) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, method)]
    fn dispose(this: &ECharts) -> Result<(), JsValue>;
}

impl ECharts {
    /// `echarts.init(element)`.
    pub fn init(element: &web_sys::HtmlElement) -> Result<ECharts, JsValue> {
        echarts_init(element)
    }

    /// `chart.setOption(option, true)`: replaces the whole option.
    pub fn replace_option(&self, option: &serde_json::Value) -> Result<(), JsValue> {
        let json = serde_json::to_string(option).map_err(|e| JsValue::from_str(&e.to_string()))?;
        let option = js_sys::JSON::parse(&json)?;
        self.set_option_js(&option, true)
    }

    /// `chart.resize()`; a failure only leaves the old size.
    pub fn fit(&self) {
        let _ = self.resize();
    }

    /// `chart.dispose()`: frees the canvas and listeners of this instance.
    pub fn release(&self) {
        let _ = self.dispose();
    }
}
