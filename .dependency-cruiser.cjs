/**
 * Structure checks (`npm run check:structure`, run by .ci/run): no import cycles, the layering of
 * DESIGN.md §2 (common → worlds → sim → pipelines; the optimizer sees an application only through
 * `QosOracle` and imports none of them), and `scripts/` as a shell nothing else imports.
 * @type {import("dependency-cruiser").IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle means two files share a concept: move what both need into a third file.",
      from: {},
      to: { circular: true },
    },
    {
      name: "optimizer-is-application-agnostic",
      severity: "error",
      comment: "The optimizer sees an application only through QosOracle (DESIGN.md §2).",
      from: { path: "^optimizer/" },
      to: { path: "^(worlds|sim|pipelines|scripts)/" },
    },
    {
      name: "common-is-the-bottom-layer",
      severity: "error",
      from: { path: "^common/" },
      to: { path: "^(worlds|sim|pipelines|optimizer|scripts)/" },
    },
    {
      name: "worlds-below-sim",
      severity: "error",
      from: { path: "^worlds/" },
      to: { path: "^(sim|pipelines|optimizer|scripts)/" },
    },
    {
      name: "sim-below-pipelines",
      severity: "error",
      from: { path: "^sim/" },
      to: { path: "^(pipelines|scripts)/" },
    },
    {
      name: "nothing-imports-scripts",
      severity: "error",
      comment: "scripts/ is a thin shell over the API: library code belongs in its area, test helpers in test/fixtures.",
      from: { pathNot: "^(scripts|test)/" },
      to: { path: "^scripts/" },
    },
    {
      name: "tests-import-only-the-cli-from-scripts",
      severity: "error",
      comment:
        "A test may run the CLI shell in-process (scripts/cli.ts, scripts/commands/, scripts/options/); anything else it needs is library code (in its area) or a test fixture (test/fixtures).",
      from: { path: "^test/", pathNot: "^test/models/" },
      to: { path: "^scripts/", pathNot: "^scripts/(cli\\.ts$|commands/|options/)" },
    },
    {
      name: "model-tests-read-only-the-model-scripts",
      severity: "error",
      comment:
        "test/models/ checks the models scripts/models/ trains (models/*.onnx and their cards, models/zoo/) against the recipes and card formats that produced them, so it may read scripts/models/ (the scripts' own data, not library code); nothing else in scripts/ beyond the CLI.",
      from: { path: "^test/models/" },
      to: { path: "^scripts/", pathNot: "^scripts/(cli\\.ts$|commands/|options/|models/)" },
    },
    {
      name: "cli-loads-commands-lazily",
      severity: "error",
      comment:
        "`approxcaliper --help` starts fast because the CLI entry and the command list load a command's module (and so the library) only with import() when that command runs.",
      from: { path: "^scripts/(cli|commands/index)\\.ts$" },
      to: {
        path: "^(index\\.ts$|common/|worlds/|sim/|pipelines/|optimizer/|scripts/commands/)",
        pathNot: "^scripts/commands/index\\.ts$",
        dependencyTypesNot: ["dynamic-import", "type-only"],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|docs|out|data)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mjs", ".js", ".json"],
    },
  },
};
