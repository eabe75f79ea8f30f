// Charts as SVG, rendered on the server by Vega-Lite (no script runs in the browser), each with a
// title and description for assistive technology; pages print the data as a table beside it.
import { raw } from 'hono/html';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface BarDatum {
  readonly label: string;
  readonly value: number;
  readonly series?: string;
}

export async function barChart(
  data: readonly BarDatum[],
  options: {
    readonly title: string;
    readonly description: string;
    readonly xTitle: string;
    readonly yTitle: string;
    /** Series side by side (compared) instead of stacked (parts of a whole). */
    readonly grouped?: boolean;
  },
) {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 220,
    description: options.description,
    data: { values: data.map((d) => ({ ...d })) },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: options.xTitle, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: options.yTitle },
      ...(data.some((d) => d.series !== undefined)
        ? { color: { field: 'series', type: 'nominal', title: null } }
        : {}),
      ...(options.grouped === true ? { xOffset: { field: 'series', type: 'nominal' } } : {}),
    },
    config: { font: 'system-ui, sans-serif', background: 'white' },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  // role="img" with a name and description: the chart is one image; the table beside it has the data.
  return raw(
    svg
      .replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(options.title)}" `)
      .replace(
        /(<svg[^>]*>)/,
        `$1<title>${escapeText(options.title)}</title><desc>${escapeText(options.description)}</desc>`,
      ),
  );
}

function escapeAttribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
}
