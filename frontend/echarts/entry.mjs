// The ECharts that Kyros draws: only the parts the engine's options use
// (engine/src/charts/*.rs), from the npm `echarts` package's tree-shakeable modules.
// Bundled by frontend/echarts/build.mjs (esbuild, a Trunk pre_build hook) into
// frontend/generated/echarts.min.js, which Trunk copies to /echarts.min.js.
//
// A series type or option component the engine starts emitting must be registered here
// too: this production build silently leaves unregistered ones out of the chart. The
// end-to-end test `every_chart_kind_the_engine_emits_renders` (e2e/tests/shell/main.rs)
// draws every chart kind and fails on any series or component without its ECharts model.
import { use, init, getInstanceByDom, dispose, version } from "echarts/core";
// Series: bar (bar, stacked_bar, histogram), line (line, area), pie, scatter, heatmap.
import { BarChart, LineChart, PieChart, ScatterChart, HeatmapChart } from "echarts/charts";
import {
  // `grid` + `xAxis`/`yAxis` (category and value axes) of every cartesian chart.
  GridComponent,
  // `tooltip` on every chart (axis trigger for bars and lines, item for pie/scatter/heatmap).
  TooltipComponent,
  // `toolbox.feature.saveAsImage` on every chart.
  ToolboxComponent,
  // `legend` of type "scroll" (multi-series bars, lines, areas, stacked bars, pie, scatter).
  LegendScrollComponent,
  // The heatmap's `visualMap` (calculable, no pieces: the continuous kind).
  VisualMapContinuousComponent,
  // The histogram's threshold lines (`series.markLine`).
  MarkLineComponent,
} from "echarts/components";
// Every grid sets `containLabel: true`, which ECharts 6 lays out only with this feature
// (without it, a different `outerBounds` layout).
import { LegacyGridContainLabel } from "echarts/features";
// `echarts.init(element)` without options: the canvas renderer.
import { CanvasRenderer } from "echarts/renderers";

use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  ToolboxComponent,
  LegendScrollComponent,
  VisualMapContinuousComponent,
  MarkLineComponent,
  LegacyGridContainLabel,
  CanvasRenderer,
]);

// The global the shell's wasm-bindgen binding calls (`echarts.init`,
// frontend/src/components/echarts.rs); `getInstanceByDom` serves the end-to-end tests
// and debugging. Instance methods (setOption, resize, dispose, getOption…) are all there.
window.echarts = Object.freeze({ init, getInstanceByDom, dispose, version });
