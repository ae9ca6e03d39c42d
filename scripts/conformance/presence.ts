/**
 * Which declared fields the server's answers carried. Each 2xx JSON answer is walked beside its
 * schema (references, `allOf` parts, array items and map values followed; `oneOf`/`anyOf` not, as
 * the branch is not known); for every object the walk meets, each property its schema declares
 * counts as seen, and as present when the object has the key (even with a `null` value).
 *
 * A property present in every object seen and not `required` is "always sent, typed optional":
 * scripts/conformance/always-sent.mjs writes spec/overlays/56-always-sent.yaml from these.
 */

type Schema = Record<string, unknown>;

export interface PresenceEntry {
  /** `schema Post`, or `UploadFile 201` for an operation's inline answer (with the path below it). */
  readonly owner: string;
  /** JSONPath of the schema object that declares the property (an overlay target). */
  readonly target: string;
  readonly property: string;
  readonly required: boolean;
  /** Objects of this schema the answers held. */
  readonly seen: number;
  /** Of those, how many had the property. */
  readonly present: number;
  /** The operations whose answers held them (sorted). */
  readonly operations: readonly string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const quote = (text: string): string => `'${text.replace(/'/g, "\\'")}'`;
const key = (name: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${quote(name)}]`);

interface Owner {
  readonly label: string;
  readonly target: string;
}

export class PresenceRecorder {
  private readonly entries = new Map<
    string,
    { owner: Owner; property: string; required: boolean; seen: number; present: number; operations: Set<string> }
  >();
  private readonly schemas: Record<string, unknown>;
  private readonly paths: Record<string, unknown>;

  constructor(document: Record<string, unknown>) {
    const components = isRecord(document.components) ? document.components : {};
    this.schemas = isRecord(components.schemas) ? components.schemas : {};
    this.paths = isRecord(document.paths) ? document.paths : {};
  }

  /** The answer schema of an operation (by operationId) and status, with its inline owner. */
  private answer(operationId: string, status: number): { schema: Schema; owner: Owner } | undefined {
    for (const item of Object.values(this.paths)) {
      if (!isRecord(item)) continue;
      for (const operation of Object.values(item)) {
        if (!isRecord(operation) || operation.operationId !== operationId || !isRecord(operation.responses)) continue;
        const response = operation.responses[String(status)];
        const content = isRecord(response) && isRecord(response.content) ? response.content["application/json"] : undefined;
        const schema = isRecord(content) ? content.schema : undefined;
        if (!isRecord(schema)) return undefined;
        return {
          schema,
          owner: {
            label: `${operationId} ${status}`,
            target: `$.paths.*[?(@.operationId == ${quote(operationId)})].responses['${status}'].content['application/json'].schema`,
          },
        };
      }
    }
    return undefined;
  }

  /** Records one answer. */
  record(op: string, operationId: string, status: number, body: unknown): void {
    const found = this.answer(operationId, status);
    if (found === undefined) return;
    this.walk(found.schema, body, found.owner, op, 0);
  }

  private walk(schema: Schema, value: unknown, owner: Owner, op: string, depth: number): void {
    if (value === null || value === undefined || depth > 40) return;
    const ref = schema.$ref;
    if (typeof ref === "string") {
      const name = decodeURIComponent(ref.replace(/^#\/components\/schemas\//, ""));
      const target = this.schemas[name];
      if (isRecord(target))
        this.walk(target, value, { label: `schema ${name}`, target: `$.components.schemas${key(name)}` }, op, depth + 1);
      return;
    }
    if (Array.isArray(schema.allOf)) {
      const only = schema.allOf.length === 1;
      schema.allOf.forEach((part, index) => {
        if (!isRecord(part)) return;
        this.walk(
          part,
          value,
          only ? owner : { label: `${owner.label} allOf[${index}]`, target: `${owner.target}.allOf[${index}]` },
          op,
          depth + 1,
        );
      });
    }
    if (Array.isArray(value)) {
      if (isRecord(schema.items)) {
        for (const item of value)
          this.walk(schema.items, item, { label: `${owner.label}[]`, target: `${owner.target}.items` }, op, depth + 1);
      }
      return;
    }
    if (!isRecord(value)) return;
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === "string") : []);
    for (const [name, propertySchema] of Object.entries(properties)) {
      const id = `${owner.target}\u0000${name}`;
      let entry = this.entries.get(id);
      if (entry === undefined) {
        entry = { owner, property: name, required: required.has(name), seen: 0, present: 0, operations: new Set() };
        this.entries.set(id, entry);
      }
      entry.seen += 1;
      if (Object.hasOwn(value, name)) entry.present += 1;
      entry.operations.add(op);
      if (isRecord(propertySchema)) {
        this.walk(
          propertySchema,
          value[name],
          { label: `${owner.label}.${name}`, target: `${owner.target}.properties${key(name)}` },
          op,
          depth + 1,
        );
      }
    }
    if (isRecord(schema.additionalProperties)) {
      for (const [name, item] of Object.entries(value)) {
        if (Object.hasOwn(properties, name)) continue;
        this.walk(
          schema.additionalProperties,
          item,
          { label: `${owner.label}{}`, target: `${owner.target}.additionalProperties` },
          op,
          depth + 1,
        );
      }
    }
  }

  /** Every property seen, sorted by target and name. */
  result(): PresenceEntry[] {
    return [...this.entries.values()]
      .map((entry) => ({
        owner: entry.owner.label,
        target: entry.owner.target,
        property: entry.property,
        required: entry.required,
        seen: entry.seen,
        present: entry.present,
        operations: [...entry.operations].sort(),
      }))
      .sort((a, b) =>
        a.target < b.target ? -1 : a.target > b.target ? 1 : a.property < b.property ? -1 : a.property > b.property ? 1 : 0,
      );
  }
}

/** Present in every object seen, and not required: what 56-always-sent.yaml must mark or explain. */
export function alwaysSentOptional(entries: readonly PresenceEntry[]): PresenceEntry[] {
  return entries.filter((entry) => !entry.required && entry.seen > 0 && entry.present === entry.seen);
}
