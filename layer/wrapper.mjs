// The wrapper script is a template (wrapper/otel-wrapper.in) so that it names the preload and the
// diagnostics prefix from the same source as the layer's code. Placeholders are `@NAME@`, each
// inside double quotes in the template; a value may hold none of the characters sh reads there.

/** @param {string} template @param {Record<string, string>} values */
export function renderWrapper(template, values) {
  const out = template.replace(/@([A-Z_]+)@/g, (match, name) => {
    const value = values[name];
    if (value === undefined) throw new Error(`wrapper template: no value for ${match}`);
    if (!/^[\w./[\]-]+$/.test(value)) throw new Error(`wrapper template: ${name}=${JSON.stringify(value)} would need quoting`);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !template.includes(`@${name}@`));
  if (unused.length > 0) throw new Error(`wrapper template: unused values ${unused.join(', ')}`);
  return out;
}
