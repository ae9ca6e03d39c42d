/** The event catalog as the pipeline sees it: the parsed catalog, its hash and counts. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadCatalog, type Catalog } from "./catalog.js";

export interface EventCatalogInput {
  readonly file: string;
  readonly sha256: string;
  readonly catalog: Catalog;
  readonly events: number;
  readonly actions: number;
}

export function loadEventCatalog(path: string, shown: string): EventCatalogInput {
  const catalog = loadCatalog(path);
  return {
    file: shown,
    sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
    catalog,
    events: catalog.events.length,
    actions: catalog.actions.length,
  };
}
