/** JSDoc text from spec prose: trimmed, `*\/` made harmless, no trailing spaces. */
export function docText(...parts: readonly (string | undefined)[]): string {
  return parts
    .filter((part): part is string => part !== undefined && part.trim() !== "")
    .join("\n\n")
    .replaceAll("*/", "*\\/")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

/** A JSDoc block at the given indentation. */
export function jsDoc(text: string, indent = ""): string {
  if (text === "") return "";
  const lines = text.split("\n");
  if (lines.length === 1) return `${indent}/** ${lines[0] ?? ""} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`).join("\n")}\n${indent} */\n`;
}
