/**
 * The WebSocket catalog as plain, normalized data: what `spec/websocket-events.yaml` says once it
 * has been validated. Property names follow the YAML keys so the file and the code read alike.
 * Every list is sorted (events, actions, shapes and fields by name); variants keep file order.
 */

/** Who receives an event: the broadcast fields the server sets. */
export type BroadcastScope = "user" | "channel" | "team" | "all";

/** An event's scope: one of the broadcast scopes, `mixed` (it depends on the case), or `unknown`. */
export type EventScope = BroadcastScope | "mixed" | "unknown";

/** A literal a value is known to take. */
export type EnumValue = string | number | boolean;

/** Modifiers every type description may carry. */
interface TypeModifiers {
  /** The value is an array of the described type. */
  readonly array: boolean;
  /** The value may be `null`. */
  readonly nullable: boolean;
}

/** `string`, `number`, `boolean` or `unknown`, optionally limited to known literals. */
export interface PrimitiveType extends TypeModifiers {
  readonly kind: "primitive";
  readonly type: "string" | "number" | "boolean" | "unknown";
  /** Known literal values, in catalog order; absent when any value of the type may appear. */
  readonly enum?: readonly EnumValue[];
}

/** A JSON object: fixed `fields`, a map whose values are `values`, or (neither) any object. */
export interface ObjectType extends TypeModifiers {
  readonly kind: "object";
  readonly fields?: readonly CatalogField[];
  readonly values?: TypeSpec;
}

/** A schema of the OpenAPI document (`components.schemas[schema]`). */
export interface RefType extends TypeModifiers {
  readonly kind: "ref";
  readonly schema: string;
}

/** A named object shape defined in the catalog's `shapes` section. */
export interface ShapeType extends TypeModifiers {
  readonly kind: "shape";
  readonly shape: string;
}

/**
 * A string whose content is JSON. `of` is what it decodes to (its own `array` flag says whether
 * the JSON is an array). Only allowed directly on an event's data keys.
 */
export interface JsonType {
  readonly kind: "json";
  readonly of: TypeSpec;
}

export type TypeSpec = PrimitiveType | ObjectType | RefType | ShapeType | JsonType;

/** One key of an object (an event's data, an action's request, an object's fields). */
export interface CatalogField {
  readonly name: string;
  readonly type: TypeSpec;
  /** The key is only sometimes present. */
  readonly optional: boolean;
  /** The server sets the value per connection, so recipients of one event see different values. */
  readonly per_recipient: boolean;
  readonly description?: string;
}

/** One case of an event whose payload depends on why or to whom it was sent. */
export interface CatalogVariant {
  /** When this case happens, in a few words. */
  readonly when: string;
  readonly scope: BroadcastScope;
  /** The data keys present in this case (sorted); the others are absent. */
  readonly keys: readonly string[];
}

export interface CatalogEvent {
  /** The wire name, the value of the frame's `event` key. */
  readonly name: string;
  readonly description: string;
  readonly scope: EventScope;
  /** Whether the server still sends the event (some names are reserved or only used for actions). */
  readonly emitted: boolean;
  /** The data keys, or `"unknown"` when the payload's shape is not known. */
  readonly data: readonly CatalogField[] | "unknown";
  /** Payload cases; empty when the payload does not depend on the case. */
  readonly variants: readonly CatalogVariant[];
}

export interface CatalogAction {
  /** The wire name, the value of the request's `action` key. */
  readonly name: string;
  readonly description: string;
  /** Whether the connection must be authenticated before sending the action. */
  readonly requires_auth: boolean;
  /** The request's data keys (empty when the action needs no data). */
  readonly request: readonly CatalogField[];
  /** The type of a successful reply's `data`, or `null` when the reply carries none. */
  readonly reply: TypeSpec | null;
}

/** A named object type used by several keys, emitted as an exported interface. */
export interface CatalogShape {
  readonly name: string;
  readonly description: string;
  readonly fields: readonly CatalogField[];
}

export interface Catalog {
  /** The file the catalog was read from, for messages. */
  readonly file: string;
  /** The Mattermost server version the catalog was checked against. */
  readonly server_version: string;
  readonly events: readonly CatalogEvent[];
  readonly actions: readonly CatalogAction[];
  readonly shapes: readonly CatalogShape[];
}
