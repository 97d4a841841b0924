/**
 * Draws a synthesized dashboard body as an SVG of its widget grid: each widget where the console puts it, with its
 * title and the lines it graphs. The README shows this picture, so it is drawn from the body CloudFormation gets,
 * never by hand.
 */
export interface DashboardWidget {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title: string; readonly metrics: unknown[][] };
}

const COLUMN = 44;
const ROW = 30;
const GAP = 8;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
/** The console's palette, so that the picture reads like the page people will see. */
const LINE_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

export function dashboardPicture(widgets: readonly DashboardWidget[]): string {
  const width = 24 * COLUMN;
  const height = Math.max(...widgets.map((w) => w.y + w.height)) * ROW;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
    ...widgets.map(widgetPicture),
    '</svg>',
    '',
  ].join('\n');
}

function widgetPicture(widget: DashboardWidget): string {
  const left = widget.x * COLUMN + GAP / 2;
  const top = widget.y * ROW + GAP / 2;
  const w = widget.width * COLUMN - GAP;
  const h = widget.height * ROW - GAP;
  const title = wrap(widget.properties.title, Math.floor(w / 7.2));
  const labels = widget.properties.metrics.map(lineLabel);
  const plotTop = top + 14 + title.length * 16;
  const plotBottom = top + h - 12 - labels.length * 15;
  return [
    `<g>`,
    `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="#ffffff" stroke="#d5dbdb"/>`,
    ...title.map(
      (line, i) =>
        `<text x="${left + 10}" y="${top + 20 + i * 16}" ${FONT} font-size="13" font-weight="bold" fill="#16191f">${escape(line)}</text>`,
    ),
    `<line x1="${left + 10}" y1="${plotBottom}" x2="${left + w - 10}" y2="${plotBottom}" stroke="#aab7b8"/>`,
    `<line x1="${left + 10}" y1="${plotTop}" x2="${left + 10}" y2="${plotBottom}" stroke="#aab7b8"/>`,
    ...labels.map((label, i) => {
      const y = plotBottom + 16 + i * 15;
      const colour = LINE_COLOURS[i % LINE_COLOURS.length];
      return [
        `<rect x="${left + 10}" y="${y - 9}" width="10" height="10" fill="${colour}"/>`,
        `<text x="${left + 26}" y="${y}" ${FONT} font-size="11" fill="#545b64">${escape(label)}</text>`,
      ].join('');
    }),
    `</g>`,
  ].join('\n');
}

/** A line's legend: its label, or what a search expression finds. */
function lineLabel(line: unknown[]): string {
  const options = line.at(-1) as { label?: string; expression?: string };
  if (options.expression?.startsWith('SEARCH(')) return 'one line per rule id (search)';
  return options.label ?? String(line[1]);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
