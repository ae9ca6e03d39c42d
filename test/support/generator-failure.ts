import { GeneratorError } from "../../generator/errors.js";

/** The GeneratorError a promise rejects with; any other outcome fails the test. */
export async function generatorFailure(promise: Promise<unknown>): Promise<GeneratorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GeneratorError) return error;
    throw error;
  }
  throw new Error("expected a GeneratorError");
}
