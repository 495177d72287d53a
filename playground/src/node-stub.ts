/**
 * What the CLI's input module takes from node:fs and node:path, for the page, which never reads files: its reading of
 * Keras documents and its default range are what the page uses.
 */
export function readFileSync(): never {
  throw new Error("the playground reads no files: paste the JSON instead");
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
