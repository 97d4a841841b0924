import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = join(__dirname, '..', '..', 'bench', 'results.md');

/**
 * Rewrites one measured section of bench/results.md, between its markers, and keeps what people wrote around it
 * (the targets, the profile, before and after). A section not there yet is added at the end.
 */
export function replaceSection(section: string, command: string, text: string): void {
  const [begin, end] = [`<!-- ${section}: written by ${command} -->`, `<!-- end of ${section} -->`];
  const block = `${begin}\n${text}\n${end}`;
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const [from, to] = [current.indexOf(begin), current.indexOf(end)];
  writeFileSync(
    RESULTS,
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`,
  );
}
