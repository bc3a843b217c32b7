// Loads a TypeScript module of src/ into a build script: esbuild bundles it to one ES module in
// memory, which is imported from a data: URL. For facts the layer's code and its build share.
import { buildSync } from 'esbuild';

/** @param {string} entry absolute path of the .ts file */
export async function loadTs(entry) {
  const { outputFiles } = buildSync({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false });
  return import(`data:text/javascript,${encodeURIComponent(outputFiles[0].text)}`);
}
