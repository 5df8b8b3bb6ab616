//! Hosts one ECharts chart: init on mount, `setOption` on every new option, resize with
//! the window, dispose on unmount.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use yew::prelude::*;

use crate::components::echarts::ECharts;

#[derive(Properties, PartialEq)]
pub struct EChartProps {
    /// The ECharts option JSON from the backend, passed to `setOption` as is.
    pub option: Rc<serde_json::Value>,
    /// Accessible name of the chart image.
    pub label: AttrValue,
}

#[component]
pub fn EChart(props: &EChartProps) -> Html {
    let host = use_node_ref();
    let instance: Rc<RefCell<Option<ECharts>>> = use_mut_ref(|| None);
    let failed = use_state(|| false);

    {
        let host = host.clone();
        let instance = instance.clone();
        let failed = failed.clone();
        use_effect_with((), move |_| {
            let mut resize_listener = None;
            match host
                .cast::<web_sys::HtmlElement>()
                .map(|el| ECharts::init(&el))
            {
                Some(Ok(chart)) => {
                    *instance.borrow_mut() = Some(chart);
                    let on_resize = instance.clone();
                    resize_listener = web_sys::window().map(|window| {
                        EventListener::new(&window, "resize", move |_| {
                            if let Some(chart) = on_resize.borrow().as_ref() {
                                chart.fit();
                            }
                        })
                    });
                }
                _ => failed.set(true),
            }
            move || {
                drop(resize_listener);
                if let Some(chart) = instance.borrow_mut().take() {
                    chart.release();
                }
            }
        });
    }

    {
        let instance = instance.clone();
        let failed = failed.clone();
        use_effect_with(props.option.clone(), move |option| {
            if let Some(chart) = instance.borrow().as_ref() {
                match chart.replace_option(option) {
                    Ok(()) => mark_first_chart(),
                    Err(_) => failed.set(true),
                }
            }
        });
    }

    html! {
        <>
            <div ref={host} class="echart" role="img" aria-label={props.label.clone()}></div>
            if *failed {
                <p class="chart-error" role="alert">{ "This chart could not be drawn." }</p>
            }
        </>
    }
}

/// The User Timing mark set when the first chart of this page load has been drawn
/// (`setOption` renders synchronously). Its `startTime` is milliseconds since the
/// navigation started; the end-to-end timing in `e2e/` reads it.
const FIRST_CHART_MARK: &str = "kyros:first-chart";

fn mark_first_chart() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        if performance.get_entries_by_name(FIRST_CHART_MARK).length() == 0 {
            let _ = performance.mark(FIRST_CHART_MARK);
        }
    }
}
