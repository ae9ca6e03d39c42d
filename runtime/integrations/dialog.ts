/**
 * Interactive dialogs: the definition a program opens, the submission type that follows from it, and
 * the check of a submission against the definition (a client may send anything).
 *
 * Written from model/integration_action.go (server/public@v0.1.22-0.20260113165922-8e4cadbc88ee):
 * Dialog, DialogElement, DialogElement.IsValid (types, text subtypes, data sources), SubmitDialogRequest
 * and SubmitDialogResponse.
 */

interface ElementBase {
  /** The key of the element's value in the submission. */
  readonly name: string;
  readonly display_name: string;
  readonly help_text?: string;
  readonly placeholder?: string;
  /** An optional element may be left empty: its value is then `undefined`. */
  readonly optional?: boolean;
}

/** A one-line text field; `subtype: "number"` makes its value a number. */
export interface TextElement extends ElementBase {
  readonly type: "text" | "textarea";
  readonly subtype?: "" | "text" | "email" | "number" | "tel" | "url" | "password";
  readonly default?: string;
  readonly min_length?: number;
  readonly max_length?: number;
}

/** A menu of fixed options, or of users or channels (`data_source`). */
export interface SelectElement extends ElementBase {
  readonly type: "select";
  readonly options?: readonly { readonly text: string; readonly value: string }[];
  readonly data_source?: "users" | "channels";
  /** Several values may be chosen; the submission holds an array. */
  readonly multiselect?: boolean;
  readonly default?: string;
}

export interface RadioElement extends ElementBase {
  readonly type: "radio";
  readonly options: readonly { readonly text: string; readonly value: string }[];
  readonly default?: string;
}

export interface BoolElement extends ElementBase {
  readonly type: "bool";
  readonly default?: "true" | "false";
}

/** A date ("YYYY-MM-DD") or a date and time (ISO 8601), sent as text. */
export interface DateElement extends ElementBase {
  readonly type: "date" | "datetime";
  readonly default?: string;
  readonly min_date?: string;
  readonly max_date?: string;
  readonly time_interval?: number;
}

export type DialogElement = TextElement | SelectElement | RadioElement | BoolElement | DateElement;

/** A dialog as the program opens it (model/integration_action.go, Dialog), without `state` and `url`. */
export interface DialogDefinition {
  /** Routes the submission: one dialog per callback id in a receiver. */
  readonly callback_id: string;
  /** At most 24 characters. */
  readonly title: string;
  readonly introduction_text?: string;
  readonly icon_url?: string;
  readonly elements: readonly DialogElement[];
  readonly submit_label?: string;
  /** Ask for a cancellation request when the user closes the dialog. */
  readonly notify_on_cancel?: boolean;
}

type OptionValue<E> = E extends { readonly options: readonly { readonly value: infer V }[] } ? V : string;

/** The value one element contributes to a submission. */
export type ElementValue<E extends DialogElement> = E extends { readonly type: "bool" }
  ? boolean
  : E extends { readonly type: "text" | "textarea"; readonly subtype: "number" }
    ? number
    : E extends { readonly type: "select"; readonly multiselect: true }
      ? OptionValue<E>[]
      : E extends { readonly type: "select" | "radio" }
        ? OptionValue<E>
        : string;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The submission of a dialog, from its definition: required elements always present, optional ones maybe not. */
export type Submission<D extends DialogDefinition> = Simplify<
  {
    [E in D["elements"][number] as E extends { readonly optional: true } ? never : E["name"]]: ElementValue<E>;
  } & {
    [E in D["elements"][number] as E extends { readonly optional: true } ? E["name"] : never]?: ElementValue<E>;
  }
>;

/** A submission checked against the definition, or the field errors to send back. */
export type CheckedSubmission =
  | { readonly ok: true; readonly submission: Record<string, unknown> }
  | { readonly ok: false; readonly errors: Record<string, string> };

const empty = (value: unknown): boolean => value === undefined || value === null || value === "";

/**
 * Checks a submission's values against the definition's elements: a required element must have a
 * value, a number must be a number, an option one of the options; unknown keys are dropped.
 * Empty optional values become absent. The messages are shown to the user next to each field.
 */
export function checkSubmission(definition: DialogDefinition, raw: unknown): CheckedSubmission {
  const values = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const submission: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const element of definition.elements) {
    const value = values[element.name];
    if (empty(value) || (Array.isArray(value) && value.length === 0)) {
      if (!element.optional) errors[element.name] = "This field is required.";
      continue;
    }
    const checked = checkValue(element, value);
    if (typeof checked === "string") errors[element.name] = checked;
    else submission[element.name] = checked.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, submission };
}

function checkValue(element: DialogElement, value: unknown): { value: unknown } | string {
  switch (element.type) {
    case "bool":
      if (typeof value === "boolean") return { value };
      if (value === "true" || value === "false") return { value: value === "true" };
      return "Expected true or false.";
    case "text":
    case "textarea": {
      if (element.subtype === "number") {
        const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
        return Number.isFinite(number) ? { value: number } : "Expected a number.";
      }
      if (typeof value !== "string") return "Expected text.";
      if (element.min_length !== undefined && value.length < element.min_length) {
        return `At least ${element.min_length} characters.`;
      }
      if (element.max_length !== undefined && element.max_length > 0 && value.length > element.max_length) {
        return `At most ${element.max_length} characters.`;
      }
      return { value };
    }
    case "select":
    case "radio": {
      const allowed = element.options?.map((option) => option.value);
      const inOptions = (one: unknown): one is string =>
        typeof one === "string" && one !== "" && (allowed === undefined || allowed.includes(one));
      if (element.type === "select" && element.multiselect) {
        // A list, or the comma-separated form the server uses for a multiselect's default.
        const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",").map((one) => one.trim()) : [value];
        return list.every(inOptions) ? { value: list } : "Not one of the options.";
      }
      return inOptions(value) ? { value } : "Not one of the options.";
    }
    case "date":
    case "datetime":
      return typeof value === "string" ? { value } : "Expected a date.";
  }
}
