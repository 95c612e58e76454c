#!/usr/bin/env node
// The package ships TypeScript sources; tsx's loader compiles them on import so
// `npx approxcaliper` works right after `npm ci` without a build step.
import { register } from "tsx/esm/api";

register();
await import("../scripts/cli.ts");
