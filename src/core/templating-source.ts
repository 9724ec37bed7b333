/**
 * Jinja2 source read the way Jinja2 reads it, rewritten where nunjucks' lexer differs:
 *   - `item.0` is `item[0]` (nunjucks only knows names after a dot);
 *   - `}}` closing a nested dict (`{{ {'a': {'b': 1}} }}`) does not end the expression
 *     (Jinja2 balances braces; nunjucks stops at the first `}}`).
 * Text outside tags, string literals and `{% raw %}` blocks is left alone.
 */

export interface JinjaSource {
  /** The source as nunjucks should read it. */
  text: string;
  /** When the whole source is exactly one `{{ expression }}`: the expression. */
  single?: string;
}

const RAW_START = /^\{%-?\s*raw\s*-?%\}$/;
const RAW_END = /\{%-?\s*endraw\s*-?%\}/g;

export function jinjaSource(src: string): JinjaSource {
  let out = '';
  let close: '}}' | '%}' | undefined;
  let quote: string | undefined;
  let depth = 0;
  let tagStart = 0;
  let tags = 0;
  let singleEnd = -1;
  for (let i = 0; i < src.length; ) {
    const two = src.slice(i, i + 2);
    if (!close) {
      if (two === '{{' || two === '{%') {
        close = two === '{{' ? '}}' : '%}';
        tagStart = out.length;
        depth = 0;
        out += two;
        i += 2;
      } else {
        out += src[i++];
      }
    } else if (quote) {
      const step = src[i] === '\\' ? 2 : 1;
      if (src[i] === quote) quote = undefined;
      out += src.slice(i, i + step);
      i += step;
    } else if (src[i] === '"' || src[i] === "'") {
      quote = src[i];
      out += src[i++];
    } else if (two === close && depth === 0) {
      out += two;
      i += 2;
      tags++;
      if (close === '}}' && tagStart === 0) singleEnd = out.length;
      close = undefined;
      if (RAW_START.test(out.slice(tagStart))) {
        RAW_END.lastIndex = i;
        const end = RAW_END.exec(src);
        const stop = end ? end.index + end[0].length : src.length;
        out += src.slice(i, stop);
        i = stop;
      }
    } else if (src[i] === '{') {
      depth++;
      out += src[i++];
    } else if (src[i] === '}') {
      depth = Math.max(0, depth - 1);
      // A space keeps this brace and the next one from reading as the end of the tag.
      out += src[i + 1] === '}' ? '} ' : '}';
      i++;
    } else {
      const m = /^\.(\d+)(?!\w)/.exec(src.slice(i, i + 12));
      if (m && /(?:[A-Za-z_]\w*|[\])])$/.test(out)) {
        out += `[${m[1]}]`;
        i += m[0].length;
      } else {
        out += src[i++];
      }
    }
  }
  const single = tags === 1 && singleEnd === out.length ? out.slice(2, -2) : undefined;
  return { text: out, single };
}
