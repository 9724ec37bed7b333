/**
 * Ansible's `!unsafe`: a value that is never templated, so `{{ }}` in it stays text. lvsdr renders
 * every string it uses, so such a string is stored as a template whose only expression is a string
 * literal of the text: rendering it gives the text back, once, and it is never rendered again (a
 * rendered variable's value is not read as a template a second time).
 */
const TEMPLATE_MARKERS = /\{\{|\{%|\{#/;

export function unsafeText(text: string): string {
  if (!TEMPLATE_MARKERS.test(text)) return text;
  return `{{ "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}" }}`;
}
