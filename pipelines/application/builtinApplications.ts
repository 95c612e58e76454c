import { cropFollowApplication } from "../cropfollow/cropFollowApplication.ts";
import { gemApplication } from "../gem/gemApplication.ts";
import { gemPursuitApplication } from "../gempursuit/gemPursuitApplication.ts";
import type { ApplicationSpec } from "./ApplicationSpec.ts";

/** The applications that come with the package, in the order `--help` lists them. One entry per application. */
export const BUILTIN_APPLICATIONS: readonly ApplicationSpec[] = [cropFollowApplication, gemApplication, gemPursuitApplication];
