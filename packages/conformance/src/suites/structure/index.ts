import type { SuiteOptions } from "../../context.js";
import { defineBadInputSuite } from "./bad-input.js";
import { defineBroadcastingSuite } from "./broadcasting.js";
import { defineCreationSuite } from "./creation.js";
import { defineDataAccessSuite } from "./data-access.js";
import { defineLazinessSuite } from "./laziness.js";
import { defineMemorySuite } from "./memory.js";
import { definePrintingSuite } from "./printing.js";
import { defineRandomSuite } from "./random.js";
import { defineReductionEdgeSuite } from "./reduction-edges.js";
import { defineReductionSuite } from "./reductions.js";
import { defineRegistrySuite } from "./registry.js";
import { defineSplitConcatSuite } from "./split-concat.js";
import { defineViewSuite } from "./views.js";

/**
 * Everything about arrays except elementwise numerics: creation, shapes and views,
 * broadcasting, reductions, laziness and fusion, memory, random numbers, printing, data access,
 * the registry and input validation. The caller has made `options.backend` the default device.
 */
export function defineStructureSuites(options: SuiteOptions): void {
  defineCreationSuite(options);
  defineViewSuite(options);
  defineSplitConcatSuite(options);
  defineBroadcastingSuite(options);
  defineReductionSuite(options);
  defineReductionEdgeSuite(options);
  defineLazinessSuite(options);
  defineMemorySuite(options);
  defineRandomSuite(options);
  definePrintingSuite(options);
  defineDataAccessSuite(options);
  defineRegistrySuite(options);
  defineBadInputSuite(options);
}
