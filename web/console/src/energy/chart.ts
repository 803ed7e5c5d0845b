import type { ECharts, EChartsCoreOption } from 'echarts/core';

// Charts of the energy pages: Apache ECharts, loaded only when a chart is drawn (its own chunk,
// see echarts.ts), so the rest of the console stays light.

/** drawChart renders option into el (resized with the window, disposed when signal aborts). */
export async function drawChart(el: HTMLElement, option: EChartsCoreOption, signal: AbortSignal): Promise<ECharts | null> {
  const { echarts } = await import('./echarts');
  if (signal.aborted) return null;
  let chart = echarts.getInstanceByDom(el);
  if (!chart) {
    const made = echarts.init(el, undefined, { renderer: 'canvas' });
    const resize = (): void => made.resize();
    window.addEventListener('resize', resize);
    signal.addEventListener('abort', () => {
      window.removeEventListener('resize', resize);
      made.dispose();
    });
    chart = made;
  }
  chart.setOption(option, true);
  el.dataset.rendered = 'true';
  return chart;
}
