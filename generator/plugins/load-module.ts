/**
 * Imports a config or plugin module named by path: `.js`/`.mjs` with Node's own loader, `.ts`/`.mts`
 * with jiti, which strips types on the fly and also loads the `.ts` files such a module imports
 * (nothing is written to disk). A `.ts` file is first parsed by TypeScript (already a dependency)
 * so that a syntax error names its line.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { GeneratorError, type GeneratorErrorCode } from "../errors.js";

const TYPESCRIPT = new Set([".ts", ".mts"]);
const JAVASCRIPT = new Set([".js", ".mjs"]);

export interface ModuleRef {
  /** Absolute path. */
  readonly file: string;
  /** How messages show it (relative to the working directory). */
  readonly shown: string;
  /** The error code to fail with (a config or a plugin module). */
  readonly code: GeneratorErrorCode;
  /** What the module is, for messages: "config file", "plugin module". */
  readonly what: string;
}

/** The module's exports. Throws GeneratorError when the file is missing, does not compile or throws on import. */
export async function importModule(ref: ModuleRef): Promise<Record<string, unknown>> {
  const extension = extname(ref.file).toLowerCase();
  if (!TYPESCRIPT.has(extension) && !JAVASCRIPT.has(extension)) {
    throw new GeneratorError(ref.code, `The ${ref.what} ${ref.shown} is not a .js, .mjs, .ts or .mts file.`, {
      file: ref.shown,
      hint: "Name an ES module (or a TypeScript file) that default-exports what is expected.",
    });
  }
  if (!existsSync(ref.file)) {
    throw new GeneratorError(ref.code, `The ${ref.what} ${ref.shown} does not exist.`, {
      file: ref.shown,
      hint: "Check the path: it is relative to the config file (or to the working directory for --plugin).",
    });
  }
  if (JAVASCRIPT.has(extension)) {
    // The modification time in the URL makes a long-lived process see an edited file again.
    const url = pathToFileURL(ref.file);
    url.search = `?mtime=${statSync(ref.file).mtimeMs}`;
    return evaluate(async () => (await import(url.href)) as Record<string, unknown>, ref);
  }
  const { default: ts } = await import("typescript");
  const source = readFileSync(ref.file, "utf8");
  const output = ts.transpileModule(source, {
    fileName: ref.file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: false },
  });
  const problem = output.diagnostics?.find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (problem !== undefined) {
    const line =
      problem.file === undefined || problem.start === undefined
        ? undefined
        : problem.file.getLineAndCharacterOfPosition(problem.start).line + 1;
    throw new GeneratorError(ref.code, `The ${ref.what} does not compile: ${ts.flattenDiagnosticMessageText(problem.messageText, " ")}.`, {
      file: ref.shown,
      ...(line === undefined ? {} : { line }),
      hint: "Fix the syntax error.",
    });
  }
  const { createJiti } = await import("jiti");
  // No module cache, so a long-lived process sees an edited file again; no file system cache.
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, interopDefault: false });
  return evaluate(() => jiti.import<Record<string, unknown>>(ref.file), ref);
}

async function evaluate(load: () => Promise<Record<string, unknown>>, ref: ModuleRef): Promise<Record<string, unknown>> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new GeneratorError(ref.code, `Importing the ${ref.what} failed: ${message.replace(/\.$/, "")}.`, {
      file: ref.shown,
      hint: "Fix the module so that it imports without an error.",
    });
  }
}
