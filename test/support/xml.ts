/** Test helper shared by the plot and CLI tests. */

/**
 * A small XML well-formedness check: every tag closed in order, attributes quoted, no stray `<` or `&` in text, one
 * root. Returns the element names in document order.
 */
export function xmlElements(xml: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:#\d+|amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let roots = 0;
  for (const m of xml.matchAll(token)) {
    const [, closing, name, , selfClosing, text, stray] = m;
    if (stray) throw new Error(`stray '<' at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (text !== undefined) {
      if (/&(?!(?:#\d+|amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bare '&' in text at ${m.index}`);
      if (open.length === 0 && text.trim() !== "") throw new Error(`text outside the root at ${m.index}`);
      continue;
    }
    if (closing) {
      const top = open.pop();
      if (top !== name) throw new Error(`</${name}> closes <${top}> at ${m.index}`);
      continue;
    }
    if (open.length === 0 && ++roots > 1) throw new Error("more than one root element");
    names.push(name!);
    if (!selfClosing) open.push(name!);
  }
  if (open.length) throw new Error(`unclosed <${open.join("> <")}>`);
  return names;
}
