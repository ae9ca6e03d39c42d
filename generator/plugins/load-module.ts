/**
 * Imports a config or plugin module named by path: `.js`/`.mjs` as they are, `.ts`/`.mts` after
 * the TypeScript compiler (already a dependency) strips their types with `transpileModule`. The
 * JavaScript is written beside the source for the import (so its relative imports and packages
 * resolve as from the source), then removed.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { GeneratorError, type GeneratorErrorCode } from "../errors.js";

const TYPESCRIPT = new Set([".ts", ".mts"]);
const JAVASCRIPT = new Set([".js", ".mjs"]);
let counter = 0;

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
    return evaluate(url.href, ref);
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
  counter += 1;
  const compiled = join(dirname(ref.file), `.${basename(ref.file)}.${process.pid}-${counter}.mjs`);
  try {
    writeFileSync(compiled, output.outputText);
  } catch (error) {
    throw new GeneratorError(ref.code, `Cannot compile the ${ref.what}: writing ${compiled} failed (${(error as Error).message}).`, {
      file: ref.shown,
      hint: "The folder of a .ts config or plugin must be writable; or write it as .mjs.",
    });
  }
  try {
    return await evaluate(pathToFileURL(compiled).href, ref);
  } finally {
    rmSync(compiled, { force: true });
  }
}

async function evaluate(url: string, ref: ModuleRef): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new GeneratorError(ref.code, `Importing the ${ref.what} failed: ${message.replace(/\.$/, "")}.`, {
      file: ref.shown,
      hint: "Fix the module so that it imports without an error (a .ts file may import JavaScript modules and packages, not other .ts files).",
    });
  }
}
